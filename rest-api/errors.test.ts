import { afterEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, BadRequestError, ConfigError, ConflictError, DataError, NotFoundError } from '../runtime/api/errors.js';
import { setLevel } from '../runtime/api/logger.js';
import { HttpError, toErrorResponse } from './errors.js';
import { sourceConfig, useTestApp } from './test-app.js';

describe('toErrorResponse', () => {
  it('maps the runtime error tree to statuses with {error_code, message}', () => {
    expect(toErrorResponse(new NotFoundError('Connector x not found'))).toEqual({ status: 404, body: { error_code: 404, message: 'Connector x not found' } });
    expect(toErrorResponse(new AlreadyExistsError('exists')).status).toBe(409);
    expect(toErrorResponse(new ConflictError('rebalance')).status).toBe(409);
    expect(toErrorResponse(new BadRequestError('bad')).status).toBe(400);
    expect(toErrorResponse(new ConfigError('bad config')).status).toBe(400);
    expect(toErrorResponse(new HttpError(405, 'HTTP 405 Method Not Allowed')).status).toBe(405);
    expect(toErrorResponse(new DataError('cannot decode'))).toEqual({ status: 500, body: { error_code: 500, message: 'cannot decode' } });
    expect(toErrorResponse(new TypeError('x is undefined')).body).toEqual({ error_code: 500, message: 'x is undefined' });
    expect(toErrorResponse('a string').body.message).toBe('a string');
  });

  it('lists every ConfigError detail the message does not already hold', () => {
    const err = new ConfigError('Connector configuration is invalid:\nInvalid value x for tasks.max', {
      'tasks.max': ['Invalid value x for tasks.max'],
      'connector.class': ['Missing required configuration', 'Class not found'],
    });
    expect(toErrorResponse(err).body.message).toBe(
      'Connector configuration is invalid:\nInvalid value x for tasks.max\nconnector.class: Missing required configuration\nconnector.class: Class not found',
    );
  });

  it('a server error with a status (not a client error) stays 500', () => {
    expect(toErrorResponse(Object.assign(new Error('upstream'), { status: 502, expose: false })).status).toBe(500);
  });
});

describe('errors over HTTP', () => {
  const app = useTestApp();
  afterEach(() => {
    setLevel('rest', 'INFO');
  });

  it('a body that is not JSON is 400 with a clear message, never 500', async () => {
    const res = await app.call('POST', '/connectors', '{"name": "x", "config": {');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error_code: 400, message: expect.stringMatching(/^Request body is not valid JSON: /) });
    const scalar = await app.call('PUT', '/connectors/x/config', '"just a string"');
    expect(scalar.status).toBe(400);
  });

  it('a JSON body sent without a JSON content type (curl -d) is still read', async () => {
    const res = await app.call('POST', '/connectors', JSON.stringify({ name: 'form', config: sourceConfig() }), {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(201);
  });

  it('a POST with no body, or a JSON array body, is 400', async () => {
    const empty = await app.call('POST', '/connectors');
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ error_code: 400, message: 'Connector name is required: the request body needs a non-empty "name"' });
    const array = await app.call('POST', '/connectors', [{ name: 'x' }]);
    expect(array.body).toEqual({ error_code: 400, message: 'Request body must be a JSON object' });
  });

  it('an unknown route is 404 and an unsupported method 405 with Allow, both in the error shape', async () => {
    const unknown = await app.call('GET', '/no/such/path');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
    expect((await app.call('GET', '/Connectors')).status).toBe(404);

    const wrong = await app.call('POST', '/connectors/x/status');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(wrong.body).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    expect((await app.call('DELETE', '/connectors')).headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');

    const options = await app.call('OPTIONS', '/connectors/x/config');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, PUT, PATCH, HEAD, OPTIONS');
  });

  it('a malformed percent escape in a path is 400', async () => {
    const res = await app.call('GET', '/connectors/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 400, message: "Failed to decode param '%E0%A4%A'" });
  });

  it('a too large body is 413 in the error shape', async () => {
    const res = await app.call('PUT', '/connectors/big/config', { 'connector.class': 'FileStreamSource', blob: 'x'.repeat(17 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error_code: 413 });
  });

  it('an unexpected error is 500 with its message, and logged with its stack', async () => {
    app.herder.nextError = new TypeError('cannot read properties of undefined');
    const res = await app.call('GET', '/connectors');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error_code: 500, message: 'cannot read properties of undefined' });
    const line = app.logs.find((l) => l.includes('ERROR'));
    expect(line).toContain('GET /connectors');
    expect(line).toContain('TypeError: cannot read properties of undefined');
  });

  it('a conflict from the herder is 409', async () => {
    app.herder.nextError = new ConflictError('Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.');
    const res = await app.call('PUT', '/connectors/x/config', sourceConfig());
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error_code: 409, message: expect.stringContaining('rebalance') });
  });

  it('requests are logged at DEBUG on the rest logger', async () => {
    setLevel('rest', 'DEBUG');
    await app.call('GET', '/connectors?expand=status');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(app.logs.some((l) => /DEBUG .*GET \/connectors\?expand=status 200 [\d.]+ ms \(rest\)/.test(l))).toBe(true);
  });
});
