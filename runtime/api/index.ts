/**
 * The plugin SDK: the only module a connector, converter or transform imports. It re-exports the
 * data model (runtime/data) and ConfigSpec (runtime/config/config-spec.ts), which import nothing
 * else of the runtime, so the runtime can change behind this surface.
 */
export * from '../data/index.js';
export * from './errors.js';
export * from './headers.js';
export * from './records.js';
export * from './connector.js';
export * from './task.js';
export * from './context.js';
export * from './progress.js';
export * from './converter.js';
export * from './transformation.js';
export * from './plugin.js';
export * from './logger.js';
export * from './canonical-json.js';
export { ConfigSpec, ParsedConfig, Password, type ConfigKeyDef, type ConfigType, type ConfigValue, type ConfigValueType, type Importance, type Validator } from '../config/config-spec.js';
export { Validators } from '../config/validators.js';
