/** `/connectors/{name}/tasks`, a task's status and its restart. */
import type { Herder } from '../../runtime/herder/herder.js';
import type { Route } from '../route.js';
import { pathParam, taskParam } from '../request.js';

export function taskRoutes(herder: Herder): Route[] {
  return [
    {
      method: 'get',
      path: '/connectors/:name/tasks',
      async handle(req, res) {
        res.json(await herder.taskConfigs(pathParam(req, 'name')));
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/tasks/:task/status',
      async handle(req, res) {
        const name = pathParam(req, 'name');
        res.json(await herder.taskStatus(name, taskParam(req, name)));
      },
    },
    {
      method: 'post',
      path: '/connectors/:name/tasks/:task/restart',
      async handle(req, res) {
        const name = pathParam(req, 'name');
        await herder.restartTask(name, taskParam(req, name));
        res.status(204).end();
      },
    },
  ];
}
