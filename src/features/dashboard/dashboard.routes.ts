import { defineRoute } from '../../lib/router';
import { DashboardSchema } from './dashboard.schemas';

export const getDashboardRoute = defineRoute({
  method: 'get',
  path: '/v1/dashboard',
  operationId: 'getDashboard',
  summary: 'Get the portfolio dashboard',
  description: [
    'One tenant\'s supplier portfolio at a glance: suppliers by tier and by risk rating, assessments by status with the overdue ones, open findings by severity with the overdue ones, evidence expired or expiring within 30, 60 and 90 days, reviews due, the ten riskiest suppliers each with the factor that raises its risk most, and concentration hot spots.',
    'Archived suppliers, and the assessments, findings and evidence of archived suppliers, are left out. Computed on each request from a few aggregate queries; the sections are read concurrently, so under concurrent writes they may differ by a change.',
  ].join('\n\n'),
  tags: ['Dashboard'],
  access: 'findings:read',
  responses: { 200: { description: 'The dashboard.', content: { 'application/json': { schema: DashboardSchema } } } },
});
