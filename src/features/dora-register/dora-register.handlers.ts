import type { RouteHandler } from '@hono/zod-openapi';
import { DORA_PACKAGE, DORA_REPORTED_TEMPLATES } from '../../catalog/dora-register';
import type { AppContext, AppEnv } from '../../lib/context';
import { dayOf } from '../../lib/dates';
import { packageName, packageStream } from './dora-register.package';
import { loadRegisterData } from './dora-register.queries';
import { buildTemplateRows } from './dora-register.rows';
import type { doraRegisterRoute, doraRegisterValidationRoute } from './dora-register.routes';
import { validateRegister } from './dora-register.validation';

/** 31 December of the year before `now` (UTC): the reference date of the yearly submission. */
export const defaultReferenceDate = (now: Date) => `${now.getUTCFullYear() - 1}-12-31`;

async function build(c: AppContext, referenceDate: string | undefined) {
  const date = referenceDate ?? defaultReferenceDate(c.get('now'));
  const data = await loadRegisterData(c.get('db'), c.get('principal').tenantId, date);
  const rows = buildTemplateRows(data, dayOf(c.get('now')));
  const problems = validateRegister(data);
  return { date, data, rows, problems };
}

export const doraRegisterValidationHandler: RouteHandler<typeof doraRegisterValidationRoute, AppEnv> = async (c) => {
  const { date, data, rows, problems } = await build(c, c.req.valid('query').referenceDate);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return c.json(
    {
      referenceDate: date,
      ready: errors === 0,
      counts: {
        errors,
        warnings: problems.length - errors,
        contracts: data.contracts.length,
        providers: data.suppliers.size,
        functions: data.functions.length,
        rows: Object.fromEntries(DORA_REPORTED_TEMPLATES.map((id) => [id, rows[id].length])),
      },
      problems,
    },
    200,
  );
};

export const doraRegisterHandler: RouteHandler<typeof doraRegisterRoute, AppEnv> = async (c) => {
  const { date, data, rows, problems } = await build(c, c.req.valid('query').referenceDate);
  const name = packageName(data.tenant, date, c.get('now'));
  // Everything was read above, so a failed query is still a problem+json answer; the ZIP is then
  // deflated as the client reads it.
  const stream = packageStream({ name, tenant: data.tenant, referenceDate: date, baseCurrency: DORA_PACKAGE.defaultBaseCurrency, rows, now: c.get('now') });
  return c.body(stream, 200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${name}.zip"`,
    'Cache-Control': 'no-store',
    'Chainproof-Register-Problems': String(problems.filter((problem) => problem.severity === 'error').length),
  }) as never;
};
