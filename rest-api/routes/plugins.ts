/** `/connector-plugins`: the plugin list, a plugin's config definition and config validation. */
import { BadRequestError } from '../../runtime/api/errors.js';
import type { Herder } from '../../runtime/herder/herder.js';
import type { Route } from '../route.js';
import { configMap, pathParam, queryFlag } from '../request.js';

const ALIAS_SUFFIX = 'Connector';

export function pluginRoutes(herder: Herder): Route[] {
  return [
    {
      method: 'get',
      path: '/connector-plugins',
      async handle(req, res) {
        res.json(await herder.plugins(queryFlag(req, 'connectorsOnly', true)));
      },
    },
    {
      method: 'get',
      path: '/connector-plugins/:plugin/config',
      async handle(req, res) {
        res.json(await herder.pluginConfig(pathParam(req, 'plugin')));
      },
    },
    {
      method: 'put',
      path: '/connector-plugins/:plugin/config/validate',
      async handle(req, res) {
        const plugin = pathParam(req, 'plugin');
        const config = configMap(req.body);
        const included = config['connector.class'];
        // Kafka accepts a body class that ends with the path name, ignoring a trailing "Connector" on
        // either, so `FileStreamSource` and `org.apache...FileStreamSourceConnector` agree.
        if (included !== undefined && !withoutSuffix(included).endsWith(withoutSuffix(plugin))) {
          throw new BadRequestError(`Included connector type ${included} does not match request type ${plugin}`);
        }
        res.json(await herder.validateConnectorConfig(plugin, { 'connector.class': plugin, ...config }));
      },
    },
  ];
}

function withoutSuffix(name: string): string {
  return name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length ? name.slice(0, -ALIAS_SUFFIX.length) : name;
}
