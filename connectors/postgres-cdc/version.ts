/** Reported in GET /connector-plugins and in the `source.version` field of change events. */
export const VERSION = '0.1.0';
