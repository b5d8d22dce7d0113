/** `/connectors/{name}/offsets`: read, alter (PATCH) and reset (DELETE); the herder enforces STOPPED. */
import { BadRequestError } from '../../runtime/api/errors.js';
import type { ConnectorOffset, Herder } from '../../runtime/herder/herder.js';
import type { Route } from '../route.js';
import { jsonObject, pathParam } from '../request.js';

export function offsetRoutes(herder: Herder): Route[] {
  return [
    {
      method: 'get',
      path: '/connectors/:name/offsets',
      async handle(req, res) {
        res.json(await herder.connectorOffsets(pathParam(req, 'name')));
      },
    },
    {
      method: 'patch',
      path: '/connectors/:name/offsets',
      async handle(req, res) {
        res.json(await herder.alterConnectorOffsets(pathParam(req, 'name'), offsetsOf(req.body)));
      },
    },
    {
      method: 'delete',
      path: '/connectors/:name/offsets',
      async handle(req, res) {
        res.json(await herder.resetConnectorOffsets(pathParam(req, 'name')));
      },
    },
  ];
}

function offsetsOf(body: unknown): ConnectorOffset[] {
  const { offsets } = jsonObject(body, 'Request body');
  if (!Array.isArray(offsets) || offsets.length === 0) {
    throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
  }
  return offsets.map((entry, i) => {
    const item = jsonObject(entry, `offsets[${i}]`);
    const partition = jsonObject(item.partition, `offsets[${i}].partition`);
    const offset = item.offset === null || item.offset === undefined ? null : jsonObject(item.offset, `offsets[${i}].offset`);
    return { partition, offset };
  });
}
