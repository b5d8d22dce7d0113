/**
 * The OpenAPI 3 description served at `GET /openapi.json`. openapi.test.ts checks that every mounted
 * route appears here, so a new route without a description fails the build's tests.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } } });
const empty = (description: string): Schema => ({ description });
const error = (description: string): Schema => json(ref('ErrorMessage'), description);
const body = (schema: Schema, required = true): Schema => ({ required, content: { 'application/json': { schema } } });

const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const anyMap: Schema = { type: 'object', additionalProperties: true };

const connectorName = { name: 'name', in: 'path', required: true, description: 'Connector name, URL-encoded (a `/` is `%2F`)', schema: { type: 'string' } };
const taskId = { name: 'task', in: 'path', required: true, description: 'Task number', schema: { type: 'integer', minimum: 0 } };
const pluginName = { name: 'plugin', in: 'path', required: true, description: 'Class name or alias, e.g. `FileStreamSource`', schema: { type: 'string' } };
const loggerName = { name: 'name', in: 'path', required: true, description: 'Logger name, e.g. `root` or `org.apache.kafka.connect`', schema: { type: 'string' } };
const flag = (name: string, fallback: boolean, description: string): Schema => ({ name, in: 'query', required: false, description, schema: { type: 'boolean', default: fallback } });

const notFound = error('No such connector');
const badRequest = error('The request is invalid; the message says why');
const conflict = error('A rebalance or another operation is under way');

const schemas: Record<string, Schema> = {
  ErrorMessage: { type: 'object', required: ['error_code', 'message'], properties: { error_code: { type: 'integer' }, message: { type: 'string' } } },
  ServerInfo: { type: 'object', properties: { version: { type: 'string' }, commit: { type: 'string' }, kafka_cluster_id: { type: 'string' } } },
  WorkerStatus: { type: 'object', properties: { status: { type: 'string', enum: ['healthy', 'starting', 'unhealthy'] }, message: { type: 'string' } } },
  ConnectorType: { type: 'string', enum: ['source', 'sink', 'unknown'] },
  State: { type: 'string', enum: ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING'] },
  ConnectorTaskId: { type: 'object', properties: { connector: { type: 'string' }, task: { type: 'integer' } } },
  ConnectorConfig: { ...stringMap, description: 'Connector config; numbers and booleans are accepted and stored as strings' },
  ConnectorConfigPatch: { type: 'object', additionalProperties: { type: 'string', nullable: true }, description: 'Keys to set; a null value removes the key' },
  ConnectorInfo: {
    type: 'object',
    properties: { name: { type: 'string' }, config: ref('ConnectorConfig'), tasks: { type: 'array', items: ref('ConnectorTaskId') }, type: ref('ConnectorType') },
  },
  CreateConnectorRequest: {
    type: 'object',
    required: ['name', 'config'],
    properties: {
      name: { type: 'string' },
      config: ref('ConnectorConfig'),
      initial_state: { type: 'string', enum: ['RUNNING', 'PAUSED', 'STOPPED'], description: 'Target state of the new connector; RUNNING by default' },
    },
  },
  StateInfo: { type: 'object', properties: { state: ref('State'), worker_id: { type: 'string' }, trace: { type: 'string' }, version: { type: 'string' } } },
  TaskState: { allOf: [ref('StateInfo'), { type: 'object', properties: { id: { type: 'integer' }, progress: ref('TaskProgress') } }] },
  TaskProgress: {
    type: 'object',
    description: 'Not in Kafka Connect: what a running task last reported about a long job (a snapshot, a backfill); absent when it reports nothing',
    required: ['phase'],
    properties: {
      phase: { type: 'string', description: 'e.g. snapshot, streaming' },
      unit: { type: 'string', description: 'what done and estimated count, e.g. rows' },
      done: { type: 'number' },
      estimated: { type: 'number', description: 'what done should reach; may be an estimate' },
      detail: { type: 'object', additionalProperties: true, description: 'connector-specific, e.g. per-table progress' },
    },
  },
  ConnectorStateInfo: {
    type: 'object',
    properties: { name: { type: 'string' }, connector: ref('StateInfo'), tasks: { type: 'array', items: ref('TaskState') }, type: ref('ConnectorType') },
  },
  ExpandedConnectors: {
    type: 'object',
    description: 'Connector name to the expansions asked for',
    additionalProperties: { type: 'object', properties: { status: ref('ConnectorStateInfo'), info: ref('ConnectorInfo') } },
  },
  TaskInfo: { type: 'object', properties: { id: ref('ConnectorTaskId'), config: stringMap } },
  ConnectorOffset: { type: 'object', required: ['partition'], properties: { partition: anyMap, offset: { ...anyMap, nullable: true } } },
  ConnectorOffsets: { type: 'object', required: ['offsets'], properties: { offsets: { type: 'array', items: ref('ConnectorOffset') } } },
  Message: { type: 'object', properties: { message: { type: 'string' } } },
  ActiveTopics: {
    type: 'object',
    description: 'Keyed by the connector name',
    additionalProperties: { type: 'object', properties: { topics: { type: 'array', items: { type: 'string' } } } },
  },
  PluginInfo: {
    type: 'object',
    properties: {
      class: { type: 'string' },
      type: { type: 'string', enum: ['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate'] },
      version: { type: 'string' },
    },
  },
  ConfigKeyInfo: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      type: { type: 'string' },
      required: { type: 'boolean' },
      default_value: { type: 'string', nullable: true },
      importance: { type: 'string' },
      documentation: { type: 'string' },
      group: { type: 'string', nullable: true },
      width: { type: 'string' },
      display_name: { type: 'string' },
      dependents: { type: 'array', items: { type: 'string' } },
      order: { type: 'integer' },
    },
  },
  ConfigValueInfo: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string', nullable: true },
      recommended_values: { type: 'array', items: {} },
      errors: { type: 'array', items: { type: 'string' } },
      visible: { type: 'boolean' },
    },
  },
  ConfigInfos: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      error_count: { type: 'integer' },
      groups: { type: 'array', items: { type: 'string' } },
      configs: { type: 'array', items: { type: 'object', properties: { definition: { allOf: [ref('ConfigKeyInfo')], nullable: true }, value: ref('ConfigValueInfo') } } },
    },
  },
  LogLevel: { type: 'string', enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'] },
  LoggerLevel: { type: 'object', properties: { level: ref('LogLevel'), last_modified: { type: 'integer', nullable: true } } },
  LoggerLevels: { type: 'object', additionalProperties: ref('LoggerLevel') },
  SetLevelRequest: { type: 'object', required: ['level'], properties: { level: { type: 'string', description: 'Any case; one of LogLevel' } } },
  StringList: { type: 'array', items: { type: 'string' } },
};

const connectorPaths: Record<string, Schema> = {
  '/connectors': {
    get: {
      summary: 'List connectors; with `expand`, a map of name to status and/or info',
      parameters: [{ name: 'expand', in: 'query', required: false, schema: { type: 'array', items: { type: 'string', enum: ['status', 'info'] } }, style: 'form', explode: true }],
      responses: { 200: json({ oneOf: [ref('StringList'), ref('ExpandedConnectors')] }, 'Connector names, or the expanded map') },
    },
    post: {
      summary: 'Create a connector',
      requestBody: body(ref('CreateConnectorRequest')),
      responses: {
        201: { ...json(ref('ConnectorInfo'), 'Created'), headers: { Location: { schema: { type: 'string' }, description: 'URL of the new connector' } } },
        400: badRequest,
        409: error('A connector with this name exists, or a rebalance is under way'),
      },
    },
  },
  '/connectors/{name}': {
    parameters: [connectorName],
    get: { summary: 'Connector name, config, tasks and type', responses: { 200: json(ref('ConnectorInfo'), 'The connector'), 404: notFound } },
    delete: { summary: 'Delete a connector', responses: { 204: empty('Deleted'), 404: notFound, 409: conflict } },
  },
  '/connectors/{name}/config': {
    parameters: [connectorName],
    get: { summary: 'Connector config', responses: { 200: json(ref('ConnectorConfig'), 'The config'), 404: notFound } },
    put: {
      summary: 'Create or replace a connector config (a `name` key must match the path)',
      requestBody: body(ref('ConnectorConfig')),
      responses: {
        200: json(ref('ConnectorInfo'), 'Updated'),
        201: { ...json(ref('ConnectorInfo'), 'Created'), headers: { Location: { schema: { type: 'string' } } } },
        400: badRequest,
        409: conflict,
      },
    },
    patch: {
      summary: 'Merge keys into a connector config',
      requestBody: body(ref('ConnectorConfigPatch')),
      responses: { 200: json(ref('ConnectorInfo'), 'Updated'), 400: badRequest, 404: notFound },
    },
  },
  '/connectors/{name}/status': {
    parameters: [connectorName],
    get: { summary: 'Connector and task states', responses: { 200: json(ref('ConnectorStateInfo'), 'The status'), 404: notFound } },
  },
  '/connectors/{name}/restart': {
    parameters: [connectorName],
    post: {
      summary: 'Restart a connector, and optionally its tasks',
      parameters: [flag('includeTasks', false, 'Restart the tasks too'), flag('onlyFailed', false, 'Restart only FAILED instances')],
      responses: { 202: json(ref('ConnectorStateInfo'), 'Restart under way'), 204: empty('Connector restarted'), 404: notFound, 409: conflict },
    },
  },
  '/connectors/{name}/pause': {
    parameters: [connectorName],
    put: { summary: 'Pause a connector and its tasks', responses: { 202: empty('Pausing'), 404: notFound } },
  },
  '/connectors/{name}/resume': {
    parameters: [connectorName],
    put: { summary: 'Resume a paused or stopped connector', responses: { 202: empty('Resuming'), 404: notFound } },
  },
  '/connectors/{name}/stop': {
    parameters: [connectorName],
    put: { summary: 'Stop a connector and shut its tasks down', responses: { 204: empty('Stopped'), 404: notFound, 409: conflict } },
  },
  '/connectors/{name}/topics': {
    parameters: [connectorName],
    get: { summary: 'Topics the connector has used', responses: { 200: json(ref('ActiveTopics'), 'Active topics'), 404: notFound } },
  },
  '/connectors/{name}/topics/reset': {
    parameters: [connectorName],
    put: { summary: 'Forget the topics the connector has used', responses: { 202: empty('Reset'), 404: notFound } },
  },
};

const taskPaths: Record<string, Schema> = {
  '/connectors/{name}/tasks': {
    parameters: [connectorName],
    get: { summary: 'Task ids and configs', responses: { 200: json({ type: 'array', items: ref('TaskInfo') }, 'Tasks'), 404: notFound } },
  },
  '/connectors/{name}/tasks/{task}/status': {
    parameters: [connectorName, taskId],
    get: { summary: 'State of one task', responses: { 200: json(ref('TaskState'), 'The task state'), 404: error('No such connector or task') } },
  },
  '/connectors/{name}/tasks/{task}/restart': {
    parameters: [connectorName, taskId],
    post: { summary: 'Restart one task', responses: { 204: empty('Restarted'), 404: error('No such connector or task'), 409: conflict } },
  },
};

const offsetPaths: Record<string, Schema> = {
  '/connectors/{name}/offsets': {
    parameters: [connectorName],
    get: { summary: 'Committed offsets', responses: { 200: json(ref('ConnectorOffsets'), 'Offsets'), 404: notFound } },
    patch: {
      summary: 'Alter offsets of a STOPPED connector (a null offset removes the partition)',
      requestBody: body(ref('ConnectorOffsets')),
      responses: { 200: json(ref('Message'), 'Altered'), 400: badRequest, 404: notFound, 409: conflict },
    },
    delete: { summary: 'Reset offsets of a STOPPED connector', responses: { 200: json(ref('Message'), 'Reset'), 400: badRequest, 404: notFound, 409: conflict } },
  },
};

const pluginPaths: Record<string, Schema> = {
  '/connector-plugins': {
    get: {
      summary: 'Installed plugins',
      parameters: [flag('connectorsOnly', true, 'List only source and sink connectors')],
      responses: { 200: json({ type: 'array', items: ref('PluginInfo') }, 'Plugins') },
    },
  },
  '/connector-plugins/{plugin}/config': {
    parameters: [pluginName],
    get: { summary: 'Config definition of a plugin', responses: { 200: json({ type: 'array', items: ref('ConfigKeyInfo') }, 'Config keys'), 404: error('No such plugin') } },
  },
  '/connector-plugins/{plugin}/config/validate': {
    parameters: [pluginName],
    put: {
      summary: 'Validate a connector config without creating it',
      requestBody: body(ref('ConnectorConfig')),
      responses: { 200: json(ref('ConfigInfos'), 'Per-key values and errors'), 400: error('connector.class disagrees with the path, or the body is not a config') },
    },
  },
};

const adminPaths: Record<string, Schema> = {
  '/admin/loggers': {
    get: { summary: 'Loggers with a level', responses: { 200: json(ref('LoggerLevels'), 'Logger levels') } },
  },
  '/admin/loggers/{name}': {
    parameters: [loggerName],
    get: { summary: 'Level of one logger', responses: { 200: json(ref('LoggerLevel'), 'Level'), 404: error('No such logger') } },
    put: {
      summary: 'Set the level of a logger and every logger below it',
      parameters: [{ name: 'scope', in: 'query', required: false, schema: { type: 'string', enum: ['worker', 'cluster'], default: 'worker' } }],
      requestBody: body(ref('SetLevelRequest')),
      responses: { 200: json(ref('StringList'), 'Names of the loggers changed (scope=worker)'), 204: empty('Applied (scope=cluster)'), 400: error('Missing or invalid level') },
    },
  },
};

const rootPaths: Record<string, Schema> = {
  '/': { get: { summary: 'Worker version, commit and Kafka cluster id', responses: { 200: json(ref('ServerInfo'), 'Server info') } } },
  '/health': {
    get: { summary: 'Worker readiness', responses: { 200: json(ref('WorkerStatus'), 'Healthy'), 503: json(ref('WorkerStatus'), 'Still starting') } },
  },
  '/metrics': {
    get: {
      summary: 'Worker, connector and task metrics in the Prometheus text format',
      responses: { 200: { description: 'Prometheus exposition', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': { get: { summary: 'This document', responses: { 200: json({ type: 'object' }, 'OpenAPI 3 document') } } },
};

export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'tsconnect REST API',
    version: '1',
    description: 'Kafka Connect 4.x compatible REST API. Every error answers `{"error_code": <HTTP status>, "message": "..."}`.',
  },
  paths: { ...rootPaths, ...connectorPaths, ...taskPaths, ...offsetPaths, ...pluginPaths, ...adminPaths },
  components: { schemas },
} as const;
