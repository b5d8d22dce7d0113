/**
 * Reading path params, query params and JSON bodies the way Kafka Connect's Jersey resources do:
 * Jackson turns JSON numbers and booleans into config strings, Boolean query params are true only for
 * "true", and anything that is not the expected shape is a 400 naming what was wrong.
 */
import type { Request } from 'express';
import { BadRequestError, NotFoundError } from '../runtime/api/errors.js';

/** A decoded path param (express decodes `%2F`, `%20`, ... before we see it). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}

/** A task id path segment; Kafka answers a non-integer id with 404, so we do too. */
export function taskParam(req: Request, connector: string): number {
  const raw = pathParam(req, 'task');
  if (!/^-?\d+$/.test(raw)) throw new NotFoundError(`Task ${raw} of connector ${connector} not found: the task id must be an integer`);
  return Number(raw);
}

/** Every value of a repeatable query param (`?expand=status&expand=info`). */
export function queryValues(req: Request, name: string): string[] {
  const value = req.query[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

export function hasQuery(req: Request, name: string): boolean {
  return req.query[name] !== undefined;
}

/** A boolean query param: absent means the default; present, only "true" (any case) is true. */
export function queryFlag(req: Request, name: string, fallback: boolean): boolean {
  const values = queryValues(req, name);
  if (values.length === 0) return fallback;
  return values[0]!.toLowerCase() === 'true';
}

export function jsonObject(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError(`${what} must be a JSON object`);
  }
  return body as Record<string, unknown>;
}

/** A connector config map: strings, with numbers and booleans turned into strings as Jackson does. */
export function configMap(body: unknown, what = 'Request body'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(jsonObject(body, what))) {
    const text = scalarText(value);
    if (text === undefined) throw new BadRequestError(`Config value of "${key}" must be a string, number or boolean`);
    out[key] = text;
  }
  return out;
}

/** A PATCH config map: like configMap, but a null value means "remove this key". */
export function configPatch(body: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(jsonObject(body, 'Request body'))) {
    const text = value === null ? null : scalarText(value);
    if (text === undefined) throw new BadRequestError(`Config value of "${key}" must be a string, number, boolean or null`);
    out[key] = text;
  }
  return out;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Kafka's rule for a config sent with a connector name: a `name` key must agree, a missing one is filled in. */
export function withConnectorName(name: string, config: Record<string, string>): Record<string, string> {
  const included = config.name;
  if (included !== undefined && included !== name) {
    throw new BadRequestError(`Connector name configuration (${included}) doesn't match connector name in the URL (${name})`);
  }
  return { ...config, name };
}

/** The absolute URL of a connector, as Jersey resolves `Location` against the server's base URI. */
export function connectorLocation(req: Request, name: string, advertisedUrl?: string): string {
  const base = advertisedUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${base.replace(/\/+$/, '')}/connectors/${encodeURIComponent(name)}`;
}
