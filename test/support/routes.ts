import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ACCESS_KEY, type AccessRule } from '../../src/platform/access';

/** "GET /api/v1/me": how routes are named in the access matrix and in failure messages. */
export type RouteKey = `${string} /${string}`;

export interface NestRoute {
  key: RouteKey;
  method: string;
  path: string;
  controller: string;
  handler: string;
  /** Where the access rule is declared; an empty list means nowhere (deny by default). */
  declaredOn: ('handler' | 'controller')[];
  /** The rule the guard applies (the handler's overrides the controller's, as in AccessGuard). */
  rule: AccessRule | undefined;
}

const METHOD_NAMES: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.DELETE]: 'DELETE',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.ALL]: 'ALL',
  [RequestMethod.OPTIONS]: 'OPTIONS',
  [RequestMethod.HEAD]: 'HEAD',
  [RequestMethod.SEARCH]: 'SEARCH',
};

// A route's path is a string or a list of strings in Nest's metadata.
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map((p) => String(p as string)) : [typeof v === 'string' ? v : '']);

function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/**
 * Every route handler Nest knows about, read from the same metadata the router and the global
 * AccessGuard use, with the access rule each one declares.
 */
export function nestRoutes(app: NestExpressApplication): NestRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: NestRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
    if (!controller || !wrapper.instance) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const onController = Reflect.getMetadata(ACCESS_KEY, controller) as AccessRule | undefined;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler);
      if (methodPaths === undefined) continue; // not a route handler
      const method = METHOD_NAMES[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'UNKNOWN';
      const onHandler = Reflect.getMetadata(ACCESS_KEY, handler) as AccessRule | undefined;
      const declaredOn: NestRoute['declaredOn'] = [];
      if (onHandler) declaredOn.push('handler');
      if (onController) declaredOn.push('controller');
      for (const c of controllerPaths) {
        for (const m of asList(methodPaths)) {
          const path = joinPath(c, m);
          routes.push({
            key: `${method} ${path}` as RouteKey,
            method,
            path,
            controller: controller.name,
            handler: name,
            declaredOn,
            rule: onHandler ?? onController,
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Every route the Express app will actually dispatch (Express 5 router stack), whoever
 * registered it — Nest controllers, Swagger UI, anything mounted by hand.
 */
export function expressRoutes(app: NestExpressApplication): RouteKey[] {
  const instance = app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] } };
  const keys = new Set<RouteKey>();
  for (const layer of instance.router.stack) {
    if (!layer.route) continue;
    for (const path of asList(layer.route.path)) {
      for (const [m, on] of Object.entries(layer.route.methods)) {
        if (on) keys.add(`${m === '_all' ? 'ALL' : m.toUpperCase()} ${path}` as RouteKey);
      }
    }
  }
  return [...keys].sort();
}

/** What is wrong with a route's access declaration, or null when it has exactly one valid one. */
export function accessDeclarationProblem(route: NestRoute, knownPermissions: readonly string[]): string | null {
  if (route.declaredOn.length === 0) return 'no @Public(), @SignedIn() or @RequirePermission() on the handler or its controller';
  if (route.declaredOn.length > 1) return 'declared on both the handler and the controller (the handler silently wins); keep one';
  const rule = route.rule!;
  if (rule.kind === 'public' || rule.kind === 'signed-in') return null;
  if (rule.kind !== 'permission' && rule.kind !== 'any-permission') return `unknown access rule ${JSON.stringify(rule)}`;
  if (!rule.permissions.length) return '@RequirePermission() with no permission (it would let any signed-in person in)';
  const unknown = rule.permissions.filter((p) => !knownPermissions.includes(p));
  return unknown.length ? `unknown permission(s) ${unknown.join(', ')}` : null;
}
