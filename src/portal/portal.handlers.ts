import type { RouteHandler } from '@hono/zod-openapi';
import { StaleAnswerError } from '../features/assessments/assessments.queries';
import type { AppContext, AppEnv } from '../lib/context';
import { problemResponse, problems } from '../lib/errors';
import { fileBytes } from '../lib/multipart';
import type { PortalSession } from './portal.auth';
import { loadPortalView } from './portal.queries';
import type {
  detachPortalEvidenceRoute,
  forwardPortalAssessmentRoute,
  getPortalAssessmentRoute,
  savePortalAnswersRoute,
  submitPortalAssessmentRoute,
  uploadPortalEvidenceRoute,
} from './portal.routes';
import {
  attachPortalEvidence,
  detachPortalEvidence,
  forwardPortal,
  presentPortalView,
  savePortalAnswers,
  submitPortal,
  type PortalCall,
} from './portal.service';
import { isValidMailAddress } from '../lib/mail/outbox';
import { portalAuditContext } from './portal.session';

export function portalCallOf(c: AppContext, session: PortalSession = c.get('portal')): PortalCall {
  return { db: c.get('db'), session, audit: portalAuditContext(c, session), config: c.get('deps').config, logger: c.get('deps').logger };
}

/** 409 `stale_answer` carrying the answer as it is now, so the page can show it beside the field. */
export async function staleAnswerResponse(c: AppContext, error: StaleAnswerError): Promise<Response> {
  const response = problemResponse(c, error);
  const body = (await response.json()) as Record<string, unknown>;
  return new Response(JSON.stringify({ ...body, current: error.current }), { status: 409, headers: response.headers });
}

export const getPortalAssessmentHandler: RouteHandler<typeof getPortalAssessmentRoute, AppEnv> = async (c) => {
  const session = c.get('portal');
  const view = await loadPortalView(c.get('db'), session.tenantId, session.assessmentId);
  if (!view) throw problems.notFound('Assessment');
  c.header('Cache-Control', 'no-store');
  return c.json(presentPortalView(view, session), 200);
};

export const savePortalAnswersHandler: RouteHandler<typeof savePortalAnswersRoute, AppEnv> = async (c) => {
  const { answers } = c.req.valid('json');
  try {
    const { stale: _stale, ...result } = await savePortalAnswers(
      portalCallOf(c),
      answers.map((answer) => ({
        questionKey: answer.questionKey,
        value: answer.value ?? null,
        ...(answer.comment !== undefined ? { comment: answer.comment } : {}),
        ...(answer.version !== undefined ? { expectedVersion: answer.version } : {}),
      })),
    );
    return c.json(result, 200);
  } catch (error) {
    if (error instanceof StaleAnswerError) return (await staleAnswerResponse(c, error)) as never;
    throw error;
  }
};

export const submitPortalAssessmentHandler: RouteHandler<typeof submitPortalAssessmentRoute, AppEnv> = async (c) =>
  c.json(await submitPortal(portalCallOf(c)), 200);

export const forwardPortalAssessmentHandler: RouteHandler<typeof forwardPortalAssessmentRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  if (!isValidMailAddress(input.email)) {
    throw problems.validation([{ location: 'body', path: 'email', message: 'Not an e-mail address.' }]);
  }
  return c.json(await forwardPortal(portalCallOf(c), input), 201);
};

export const uploadPortalEvidenceHandler: RouteHandler<typeof uploadPortalEvidenceRoute, AppEnv> = async (c) => {
  const { questionKey } = c.req.valid('param');
  const { file, kind } = c.req.valid('form');
  const uploaded = { name: file.name, type: file.type, bytes: await fileBytes(file) };
  return c.json(await attachPortalEvidence(portalCallOf(c), questionKey, uploaded, kind), 201);
};

export const detachPortalEvidenceHandler: RouteHandler<typeof detachPortalEvidenceRoute, AppEnv> = async (c) => {
  const { questionKey, evidenceId } = c.req.valid('param');
  return c.json(await detachPortalEvidence(portalCallOf(c), questionKey, evidenceId), 200);
};
