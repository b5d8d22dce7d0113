/**
 * What a config provider implements: the TypeScript form of Kafka's `ConfigProvider`. A worker creates
 * one instance per alias listed in `config.providers`, configures it once with that alias's params, and
 * asks it for values whenever a connector config containing `${alias:path:key}` is resolved.
 */
export interface ConfigProvider {
  /** Receives the `config.providers.<alias>.param.*` worker keys with that prefix removed. */
  configure(params: Record<string, string>): void;
  /**
   * Values for `keys` under `path` (`''` when the placeholder has none). Keys without a value are left
   * out of the answer; throw when the path itself cannot be read.
   */
  get(path: string, keys: ReadonlySet<string>): Promise<Map<string, string>>;
  /** Why `key` has no value under `path`, for the error a missing key raises. */
  describeMissing?(path: string, key: string): string;
  close?(): void | Promise<void>;
}

export type ConfigProviderFactory = () => ConfigProvider;
