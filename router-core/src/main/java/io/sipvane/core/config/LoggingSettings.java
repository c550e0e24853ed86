package io.sipvane.core.config;

/**
 * The {@code logging:} section: what the per-call log line may show.
 *
 * @param maskNumbers when true, the caller and called numbers in call log lines keep only their
 *                    last four digits ({@code ******0100})
 */
public record LoggingSettings(boolean maskNumbers) {

    public static final LoggingSettings DEFAULT = new LoggingSettings(false);
}
