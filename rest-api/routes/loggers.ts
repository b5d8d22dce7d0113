/** `/admin/loggers`: list levels, read one, set one (`?scope=worker` answers the changed names, `cluster` 204). */
import { BadRequestError, NotFoundError } from '../../runtime/api/errors.js';
import { getLogger, LEVELS, type LogLevel } from '../../runtime/api/logger.js';
import type { Herder } from '../../runtime/herder/herder.js';
import type { Route } from '../route.js';
import { jsonObject, pathParam, queryValues } from '../request.js';

const log = getLogger('rest');

export function loggerRoutes(herder: Herder): Route[] {
  return [
    {
      method: 'get',
      path: '/admin/loggers',
      async handle(_req, res) {
        res.json(await herder.loggers());
      },
    },
    {
      method: 'get',
      path: '/admin/loggers/:name',
      async handle(req, res) {
        res.json(await herder.logger(pathParam(req, 'name')));
      },
    },
    {
      method: 'put',
      path: '/admin/loggers/:name',
      async handle(req, res) {
        const name = pathParam(req, 'name');
        const level = levelOf(req.body);
        const scope = (queryValues(req, 'scope')[0] ?? 'worker').toLowerCase();
        if (scope !== 'worker' && scope !== 'cluster') {
          log.warn(`Received invalid scope '${scope}' in request to adjust logging level; will default to worker`);
        }
        const changed = await herder.setLoggerLevel(name, level);
        if (scope === 'cluster') res.status(204).end();
        else res.json(changed);
      },
    },
  ];
}

function levelOf(body: unknown): LogLevel {
  const { level } = jsonObject(body, 'Request body');
  if (level === undefined || level === null) throw new BadRequestError("Desired 'level' parameter was not specified in request.");
  const upper = typeof level === 'string' ? level.toUpperCase() : '';
  if (!(LEVELS as readonly string[]).includes(upper)) {
    // Kafka Connect answers an unknown level with 404 ("invalid log level"); clients check for it.
    throw new NotFoundError(`invalid log level '${String(level)}'. Valid levels: ${LEVELS.join(', ')}`);
  }
  return upper as LogLevel;
}
