/**
 * The Kafka Connect compatible REST API as an express app. Routes call Herder methods only; every
 * error, including a body that is not JSON, an unknown path and an unsupported method, leaves
 * through errors.ts as `{"error_code", "message"}`.
 */
import express, { type RequestHandler } from 'express';
import { getLogger, type Logger } from '../runtime/api/logger.js';
import type { Herder } from '../runtime/herder/herder.js';
import { errorHandler, HttpError, unknownRoute } from './errors.js';
import type { Route, RouteOptions } from './route.js';
import { connectorRoutes } from './routes/connectors.js';
import { loggerRoutes } from './routes/loggers.js';
import { metricRoutes } from './routes/metrics.js';
import { offsetRoutes } from './routes/offsets.js';
import { pluginRoutes } from './routes/plugins.js';
import { rootRoutes } from './routes/root.js';
import { taskRoutes } from './routes/tasks.js';

/** Connector configs with long SMT chains or inline certificates outgrow body-parser's 100 KB default. */
const BODY_LIMIT = '16mb';

export function allRoutes(herder: Herder, options: RouteOptions = {}): Route[] {
  return [
    ...rootRoutes(herder),
    ...connectorRoutes(herder, options),
    ...taskRoutes(herder),
    ...offsetRoutes(herder),
    ...pluginRoutes(herder),
    ...loggerRoutes(herder),
    ...metricRoutes(herder),
  ];
}

export function createRestApp(herder: Herder, options: RouteOptions = {}): express.Express {
  const log = getLogger('rest');
  const app = express();
  app.disable('x-powered-by');
  // Kafka sends no ETags; a 304 to a status poll would only confuse scripts.
  app.set('etag', false);
  app.set('case sensitive routing', true);

  app.use(requestLogger(log));
  // Any content type is read as JSON: `curl -d` without `-H 'Content-Type: application/json'` still works.
  app.use(express.json({ type: () => true, limit: BODY_LIMIT }));
  mountRoutes(app, allRoutes(herder, options));
  app.use(unknownRoute);
  app.use(errorHandler(log));
  return app;
}

/** Mounts each path once with all its methods, then answers any other method with 405 and `Allow`. */
function mountRoutes(app: express.Express, routes: Route[]): void {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  for (const [path, handlers] of byPath) {
    const chain = app.route(path);
    for (const route of handlers) chain[route.method]((req, res) => route.handle(req, res));
    chain.all(methodNotAllowed(handlers.map((r) => r.method.toUpperCase())));
  }
}

function methodNotAllowed(methods: string[]): RequestHandler {
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  return (req, res, next) => {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new HttpError(405, 'HTTP 405 Method Not Allowed'));
  };
}

function requestLogger(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!log.enabled('DEBUG')) {
      next();
      return;
    }
    const started = performance.now();
    res.on('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      log.debug(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms} ms`);
    });
    next();
  };
}
