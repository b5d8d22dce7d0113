/** `/connectors` and `/connectors/{name}[/config|/status|/restart|/pause|/resume|/stop|/topics]`. */
import { BadRequestError, NotFoundError } from '../../runtime/api/errors.js';
import type { Herder, TargetState } from '../../runtime/herder/herder.js';
import type { Route, RouteOptions } from '../route.js';
import {
  configMap,
  configPatch,
  connectorLocation,
  hasQuery,
  jsonObject,
  pathParam,
  queryFlag,
  queryValues,
  withConnectorName,
} from '../request.js';

/** `initial_state` of a create request, as Kafka names it, to the herder's target state. */
const INITIAL_STATES: Record<string, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

export function connectorRoutes(herder: Herder, options: RouteOptions = {}): Route[] {
  return [
    {
      method: 'get',
      path: '/connectors',
      async handle(req, res) {
        if (!hasQuery(req, 'expand')) {
          res.json(await herder.connectors());
          return;
        }
        const expansions = queryValues(req, 'expand');
        const names = await herder.connectors();
        const entries = await Promise.all(names.map(async (name) => {
          try {
            const expanded: Record<string, unknown> = {};
            for (const expansion of expansions) {
              if (expansion === 'status') expanded.status = await herder.connectorStatus(name);
              else if (expansion === 'info') expanded.info = await herder.connectorInfo(name);
            }
            return [name, expanded] as const;
          } catch (err) {
            // Deleted between the listing and the lookup: leave it out, as Kafka does.
            if (err instanceof NotFoundError) return undefined;
            throw err;
          }
        }));
        res.json(Object.fromEntries(entries.filter((e) => e !== undefined)));
      },
    },
    {
      method: 'post',
      path: '/connectors',
      async handle(req, res) {
        const body = jsonObject(req.body, 'Request body');
        const name = typeof body.name === 'string' ? body.name.trim() : '';
        if (name === '') throw new BadRequestError('Connector name is required: the request body needs a non-empty "name"');
        if (body.config === undefined) throw new BadRequestError('Connector config is required: the request body needs a "config" object');
        const config = withConnectorName(name, configMap(body.config, '"config"'));
        const initialState = parseInitialState(body.initial_state);
        const { info } = await herder.putConnectorConfig(name, config, { allowReplace: false, ...(initialState && { initialState }) });
        res.status(201).setHeader('Location', connectorLocation(req, name, options.advertisedUrl));
        res.json(info);
      },
    },
    {
      method: 'get',
      path: '/connectors/:name',
      async handle(req, res) {
        res.json(await herder.connectorInfo(pathParam(req, 'name')));
      },
    },
    {
      method: 'delete',
      path: '/connectors/:name',
      async handle(req, res) {
        await herder.deleteConnector(pathParam(req, 'name'));
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/config',
      async handle(req, res) {
        res.json(await herder.connectorConfig(pathParam(req, 'name')));
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/config',
      async handle(req, res) {
        const name = pathParam(req, 'name');
        const config = withConnectorName(name, configMap(req.body));
        const { created, info } = await herder.putConnectorConfig(name, config, { allowReplace: true });
        if (created) res.status(201).setHeader('Location', connectorLocation(req, name, options.advertisedUrl));
        res.json(info);
      },
    },
    {
      method: 'patch',
      path: '/connectors/:name/config',
      async handle(req, res) {
        res.json(await herder.patchConnectorConfig(pathParam(req, 'name'), configPatch(req.body)));
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/status',
      async handle(req, res) {
        res.json(await herder.connectorStatus(pathParam(req, 'name')));
      },
    },
    {
      method: 'post',
      path: '/connectors/:name/restart',
      async handle(req, res) {
        const status = await herder.restartConnector(pathParam(req, 'name'), {
          includeTasks: queryFlag(req, 'includeTasks', false),
          onlyFailed: queryFlag(req, 'onlyFailed', false),
        });
        if (status === null) res.status(204).end();
        else res.status(202).json(status);
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/pause',
      async handle(req, res) {
        await herder.pauseConnector(pathParam(req, 'name'));
        res.status(202).end();
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/resume',
      async handle(req, res) {
        await herder.resumeConnector(pathParam(req, 'name'));
        res.status(202).end();
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/stop',
      async handle(req, res) {
        await herder.stopConnector(pathParam(req, 'name'));
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/topics',
      async handle(req, res) {
        const name = pathParam(req, 'name');
        const { topics } = await herder.connectorActiveTopics(name);
        res.json({ [name]: { topics } });
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/topics/reset',
      async handle(req, res) {
        await herder.resetConnectorActiveTopics(pathParam(req, 'name'));
        res.status(202).end();
      },
    },
  ];
}

function parseInitialState(value: unknown): TargetState | undefined {
  if (value === undefined || value === null) return undefined;
  const state = typeof value === 'string' ? INITIAL_STATES[value.toUpperCase()] : undefined;
  if (!state) throw new BadRequestError(`Invalid initial_state ${JSON.stringify(value)}: expected RUNNING, PAUSED or STOPPED`);
  return state;
}
