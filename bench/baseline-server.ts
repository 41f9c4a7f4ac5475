// The load benchmark's baseline: bare Hono + postgres.js on the same database, one plain query per
// request, no authentication, validation, idempotency, audit entry or transaction. What our server
// does per request is measured against this. The tenant comes from BASELINE_TENANT_ID.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';

const tenantId = process.env.BASELINE_TENANT_ID!;
// As many connections as our server's pool (src/db/postgres.ts default), so neither waits on more.
const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
const app = new Hono();

app.get('/readyz', async (c) => {
  await sql`select 1`;
  return c.json({ ready: true });
});

app.get('/suppliers/:id', async (c) => {
  const [row] = await sql`select * from suppliers where tenant_id = ${tenantId} and id = ${c.req.param('id')}`;
  return row ? c.json(row) : c.json({ status: 404 }, 404);
});

app.get('/suppliers', async (c) => {
  const rows = await sql`
    select * from suppliers where tenant_id = ${tenantId} and archived_at is null and status = ${c.req.query('status') ?? 'active'}
    order by name, id limit 51`;
  return c.json({ data: rows.slice(0, 50), nextCursor: rows.length > 50 ? rows[50]!.id : null });
});

app.post('/suppliers', async (c) => {
  const body = await c.req.json<{ name: string; country: string }>();
  const [row] = await sql`
    insert into suppliers (tenant_id, id, name, country, status, outside_eea, inherent_score, computed_tier, tier, created_at, updated_at)
    values (${tenantId}, ${`sup_${randomUUID()}`}, ${body.name}, ${body.country}, 'prospect', false, 0, 'low', 'low', now(), now())
    returning *`;
  return c.json(row, 201);
});

app.put('/answers/:assessmentId', async (c) => {
  const body = await c.req.json<{ questionKey: string; value: string }>();
  const [row] = await sql`
    update assessment_answers set value = ${sql.json(body.value)}, version = version + 1, updated_at = now()
    where tenant_id = ${tenantId} and assessment_id = ${c.req.param('assessmentId')} and question_key = ${body.questionKey}
    returning *`;
  return row ? c.json(row) : c.json({ status: 404 }, 404);
});

app.get('/dashboard', async (c) => {
  const rows = await sql`
    select status, risk_rating, tier, count(*)::int as suppliers, count(*) filter (where next_review_at < now())::int as reviews_due
    from suppliers where tenant_id = ${tenantId} and archived_at is null group by status, risk_rating, tier`;
  return c.json({ data: rows });
});

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3999) });
