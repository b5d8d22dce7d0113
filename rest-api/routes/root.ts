/** `GET /` (server info), `GET /health` (readiness) and `GET /openapi.json`. */
import type { Herder } from '../../runtime/herder/herder.js';
import { openApiDocument } from '../openapi.js';
import type { Route } from '../route.js';

export function rootRoutes(herder: Herder): Route[] {
  return [
    {
      method: 'get',
      path: '/',
      async handle(_req, res) {
        const { version, commit, kafka_cluster_id } = await herder.serverInfo();
        res.json({ version, commit, kafka_cluster_id });
      },
    },
    {
      method: 'get',
      path: '/health',
      async handle(_req, res) {
        if (herder.isReady()) {
          res.json({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
        } else {
          res.status(503).json({ status: 'starting', message: 'Worker is still starting up.' });
        }
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      async handle(_req, res) {
        res.json(openApiDocument);
      },
    },
  ];
}
