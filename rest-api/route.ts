import type { Request, Response } from 'express';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One REST endpoint. Route files return lists of these; app.ts mounts them and answers 405 for the rest. */
export interface Route {
  method: Method;
  /** An express 5 path, e.g. `/connectors/:name/config`. */
  path: string;
  handle(req: Request, res: Response): Promise<void>;
}

export interface RouteOptions {
  /** Base of the absolute `Location` header; without it the request's own scheme and Host are used. */
  advertisedUrl?: string;
}
