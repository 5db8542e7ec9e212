import type { z } from 'zod';

/**
 * The parts of an OpenAPI 3.1 document this API's description uses. Type
 * aliases rather than interfaces, so that a document is also a plain
 * Record<string, unknown> for tools that take one.
 */

/** OpenAPI 3.1 schemas are JSON Schema 2020-12, the dialect zod writes. */
export type JsonSchema = z.core.JSONSchema.JSONSchema;

export type Reference = { $ref: string };

export type MediaType = { schema: JsonSchema; example?: unknown };

export type Header = { description: string; schema: JsonSchema; required?: boolean };

export type Response = {
  description: string;
  headers?: Record<string, Header | Reference>;
  content?: Record<string, MediaType>;
};

export type Parameter = {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  description: string;
  required: boolean;
  schema: JsonSchema;
};

export type RequestBody = {
  description: string;
  required: boolean;
  content: Record<string, MediaType>;
};

/** Any one of the schemes listed, each with no scopes. */
export type SecurityRequirement = Record<string, string[]>;

export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, Response>;
  /** [] for an operation anyone may call; absent, the document's own requirement holds. */
  security?: SecurityRequirement[];
};

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItem = Partial<Record<HttpMethod, Operation>> & {
  /** Parameters of the path template, shared by its operations. */
  parameters?: Parameter[];
};

export type Paths = Record<string, PathItem>;

export type SecurityScheme =
  | { type: 'http'; scheme: 'bearer'; description: string }
  | { type: 'apiKey'; in: 'header' | 'cookie'; name: string; description: string };

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  security: SecurityRequirement[];
  paths: Paths;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecurityScheme>;
    headers: Record<string, Header>;
  };
};
