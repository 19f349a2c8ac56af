package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Maps the JSON value of a {@link SourceRecord} to a row of a {@link Mapping}'s columns, in one
 * streaming pass over the bytes. Safe for concurrent use.
 *
 * <pre>{@code
 * RecordMapper mapper = mapping.mapper(batch);
 * try {
 *   Object[] row = mapper.map(record);
 * } catch (RecordRejectedException e) {
 *   // e.kind(), e.field(), e.column(), e.getMessage()
 * }
 * }</pre>
 *
 * <p>The mapper builds, per column, a {@link ValueSite} and its {@link ValueReader}, and the {@link
 * FieldTree}s of the paths it reads from the value and the key; the scalar parsers are {@link
 * ScalarParsers} and {@link Decimals}, the messages {@link Rejections}.
 */
public final class RecordMapper {

  private static final JsonFactory JSON = new JsonFactory();

  /** Field names of key fields start with this, e.g. {@code key:tenant}. */
  static final String KEY_FIELD = "key:";

  private final Column[] columns;
  private final ValueSite[] sites;
  private final ValueReader[] readers;
  private final Object[] template;
  private final int[] requiredFields;
  private final int[] requiredKeyFields;
  private final int[] recordMetadata;
  private final int[] headers;
  private final FieldTree value = new FieldTree("");
  private final FieldTree key = new FieldTree(KEY_FIELD);

  RecordMapper(Mapping mapping, BatchMetadata batch) {
    this.columns = mapping.columns().toArray(new Column[0]);
    this.sites = new ValueSite[columns.length];
    this.readers = new ValueReader[columns.length];
    this.template = new Object[columns.length];
    List<Integer> required = new ArrayList<>();
    List<Integer> requiredInKey = new ArrayList<>();
    List<Integer> perRecord = new ArrayList<>();
    List<Integer> fromHeaders = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      Column column = columns[i];
      ColumnSource source = column.source();
      if (source.isField() || source.isKeyField()) {
        String path = ColumnSource.render(source.path());
        sites[i] = ValueSite.of(i, source.isKeyField() ? KEY_FIELD + path : path, column);
        (source.isKeyField() ? key : value).add(source.path(), i);
        readers[i] = ValueReader.of(sites[i]);
        if (column.required()) {
          (source.isKeyField() ? requiredInKey : required).add(i);
        }
      } else if (source.header() != null) {
        fromHeaders.add(i);
      } else if (source.metadata().perRecord()) {
        perRecord.add(i);
      } else {
        template[i] = MetadataValues.batchValue(source.metadata(), batch, column);
      }
    }
    this.requiredFields = required.stream().mapToInt(Integer::intValue).toArray();
    this.requiredKeyFields = requiredInKey.stream().mapToInt(Integer::intValue).toArray();
    this.recordMetadata = perRecord.stream().mapToInt(Integer::intValue).toArray();
    this.headers = fromHeaders.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The row for {@code record}: one value per column, in column order, of the Java type {@link
   * ColumnType} documents, or null.
   *
   * @throws RecordRejectedException if the record cannot be mapped
   */
  public Object[] map(SourceRecord record) {
    byte[] bytes = record.value();
    if (bytes == null) {
      throw Rejections.reject(
          Kind.NO_VALUE, "Cannot map a record without a value (a tombstone) to a row");
    }
    Object[] row = Arrays.copyOf(template, template.length);
    if (!value.isEmpty()) {
      if (bytes.length == 0) {
        throw Rejections.reject(
            Kind.EMPTY_VALUE, "Cannot map the value: it is empty (zero bytes), not a JSON object");
      }
      parse(bytes, value, row, "the value");
      for (int i : requiredFields) {
        if (row[i] == null) {
          throw Rejections.missing(sites[i]);
        }
      }
    }
    fromRecord(record, row);
    return row;
  }

  /**
   * The row of a tombstone, a record without a value: the batch's and the record's metadata, its
   * key and headers, every column from the value NULL.
   *
   * @throws RecordRejectedException if a column from the value is required, or the key does not map
   */
  public Object[] mapTombstone(SourceRecord record) {
    if (requiredFields.length > 0) {
      ValueSite site = sites[requiredFields[0]];
      throw Rejections.reject(
          Kind.NO_VALUE,
          site,
          "Cannot map a tombstone (a record without a value) to a row: column "
              + site.columnName
              + " is required");
    }
    Object[] row = Arrays.copyOf(template, template.length);
    fromRecord(record, row);
    return row;
  }

  /** Fills in what comes from the record but not its value: key fields, headers, metadata. */
  private void fromRecord(SourceRecord record, Object[] row) {
    if (!key.isEmpty() && record.key() != null) {
      parse(record.key(), key, row, "the key");
    }
    for (int i : requiredKeyFields) {
      if (row[i] == null) {
        throw Rejections.missing(sites[i]);
      }
    }
    if (headers.length > 0) {
      List<Map.Entry<String, byte[]>> recordHeaders = record.headers();
      for (int i : headers) {
        row[i] = MetadataValues.header(recordHeaders, columns[i].source().header(), columns[i]);
      }
    }
    for (int i : recordMetadata) {
      row[i] = MetadataValues.recordValue(columns[i].source().metadata(), record, columns[i]);
    }
  }

  /**
   * Reads the JSON object {@code input}, the record's value or key as {@code what} says, into the
   * columns of {@code tree}.
   */
  private void parse(byte[] input, FieldTree tree, Object[] row, String what) {
    try (JsonParser parser = JSON.createParser(input)) {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw Rejections.reject(
            Kind.NOT_AN_OBJECT,
            "Cannot map "
                + what
                + ": it is "
                + (token == null ? "empty" : Rejections.describe(token))
                + ", not a JSON object");
      }
      tree.read(parser, row, input, readers, sites);
      if (parser.nextToken() != null) {
        throw Rejections.reject(
            Kind.INVALID_JSON,
            "Cannot parse "
                + what
                + " as JSON: more follows its object, at byte "
                + parser.currentTokenLocation().getByteOffset());
      }
    } catch (JsonProcessingException e) {
      throw Rejections.reject(
          Kind.INVALID_JSON,
          "Cannot parse "
              + what
              + " as JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : ", at byte " + e.getLocation().getByteOffset()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
