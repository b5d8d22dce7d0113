/** Reported in GET /connector-plugins and in the `source.version` field of change events. */
export const VERSION = '0.1.0';

/**
 * The Debezium release whose event format the connector writes: 3.5+ puts origin and origin_lsn in
 * the source block, as Debezium 3.6.1 does (checked with bench/debezium). `source.version` stays VERSION.
 */
export const DEBEZIUM_FORMAT = '3.6.1.Final';
