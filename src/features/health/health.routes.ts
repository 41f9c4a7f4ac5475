import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../lib/router';

const tags = ['Health'];

export const HealthSchema = z
  .object({
    status: z.enum(['ok']).openapi({ example: 'ok' }),
  })
  .openapi('Health');

export const ReadinessSchema = z
  .object({
    status: z.enum(['ready']).openapi({ example: 'ready' }),
    database: z.enum(['up']).openapi({ example: 'up' }),
  })
  .openapi('Readiness');

export const livenessRoute = defineRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getLiveness',
  summary: 'Liveness',
  description: 'Answers 200 while the process serves requests. It does not touch the database.',
  tags,
  access: 'public',
  responses: { 200: { description: 'Alive.', content: { 'application/json': { schema: HealthSchema } } } },
});

export const readinessRoute = defineRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  summary: 'Readiness',
  description: 'Answers 200 when the database answers, and 503 problem+json when it does not.',
  tags,
  access: 'public',
  errors: [503],
  responses: { 200: { description: 'Ready.', content: { 'application/json': { schema: ReadinessSchema } } } },
});
