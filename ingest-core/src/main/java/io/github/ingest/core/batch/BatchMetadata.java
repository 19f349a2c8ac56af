package io.github.ingest.core.batch;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * What every row of one batch records about its run: the batch number, when the batch started and
 * where its records came from.
 *
 * <pre>{@code
 * BatchMetadata batch =
 *     BatchMetadata.builder()
 *         .number(3)
 *         .start(Instant.now())
 *         .sourceEndpoint("broker-1:9092")
 *         .clientId("ingest-balance-changes")
 *         .sourceName("balance_changes")
 *         .build();
 * batch.logFileName(); // 2026-11-23_10-00-00.log
 * }</pre>
 */
public final class BatchMetadata implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final DateTimeFormatter LOG_FILE_NAME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter BATCH_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final long number;
  private final Instant start;
  private final String sourceEndpoint;
  private final String clientId;
  private final String sourceName;

  private BatchMetadata(Builder builder) {
    this.number = builder.number;
    this.start = builder.start.truncatedTo(ChronoUnit.MICROS);
    this.sourceEndpoint = builder.sourceEndpoint;
    this.clientId = builder.clientId;
    this.sourceName = builder.sourceName;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The batch number: 1 for the first batch of a source, then 2, 3, ... */
  public long number() {
    return number;
  }

  /** The batch's start, truncated to microseconds. */
  public Instant start() {
    return start;
  }

  public String sourceEndpoint() {
    return sourceEndpoint;
  }

  public String clientId() {
    return clientId;
  }

  public String sourceName() {
    return sourceName;
  }

  /** {@code yyyy-MM-dd_HH-mm-ss.log} of the batch start in UTC. */
  public String logFileName() {
    return logFileBaseName() + ".log";
  }

  /** The log file name without {@code .log}; data files of the batch start with it. */
  public String logFileBaseName() {
    return LOG_FILE_NAME.format(start);
  }

  /** The batch start in UTC with microseconds, e.g. {@code 2023-01-30T23:59:59.123456}. */
  public String batchTimestamp() {
    return BATCH_TIMESTAMP.format(start);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof BatchMetadata)) {
      return false;
    }
    BatchMetadata that = (BatchMetadata) other;
    return number == that.number
        && start.equals(that.start)
        && sourceEndpoint.equals(that.sourceEndpoint)
        && clientId.equals(that.clientId)
        && sourceName.equals(that.sourceName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, start, sourceEndpoint, clientId, sourceName);
  }

  @Override
  public String toString() {
    return "batch "
        + number
        + " of "
        + sourceName
        + " at "
        + batchTimestamp()
        + " from "
        + sourceEndpoint
        + " as "
        + clientId;
  }

  /** Builds a {@link BatchMetadata}; every value is required. */
  public static final class Builder {
    private long number;
    private Instant start;
    private String sourceEndpoint;
    private String clientId;
    private String sourceName;

    private Builder() {}

    public Builder number(long newNumber) {
      this.number = newNumber;
      return this;
    }

    public Builder start(Instant newStart) {
      this.start = newStart;
      return this;
    }

    public Builder sourceEndpoint(String newSourceEndpoint) {
      this.sourceEndpoint = newSourceEndpoint;
      return this;
    }

    public Builder clientId(String newClientId) {
      this.clientId = newClientId;
      return this;
    }

    public Builder sourceName(String newSourceName) {
      this.sourceName = newSourceName;
      return this;
    }

    public BatchMetadata build() {
      checkArgument(number >= 1, "Invalid batch number: %s (must be 1 or more)", number);
      checkArgument(start != null, "Invalid batch start: %s", start);
      checkArgument(notBlank(sourceEndpoint), "Invalid source endpoint: %s", sourceEndpoint);
      checkArgument(notBlank(clientId), "Invalid client id: %s", clientId);
      checkArgument(notBlank(sourceName), "Invalid source name: %s", sourceName);
      return new BatchMetadata(this);
    }

    private static boolean notBlank(String value) {
      return value != null && !value.trim().isEmpty();
    }
  }
}
