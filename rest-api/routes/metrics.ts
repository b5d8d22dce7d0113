/** `GET /metrics`: Prometheus text exposition (not part of Kafka's REST API, which has JMX instead). */
import type { Herder } from '../../runtime/herder/herder.js';
import type { Route } from '../route.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function metricRoutes(herder: Herder): Route[] {
  return [
    {
      method: 'get',
      path: '/metrics',
      async handle(_req, res) {
        const text = await herder.metrics();
        res.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
        res.send(text);
      },
    },
  ];
}
