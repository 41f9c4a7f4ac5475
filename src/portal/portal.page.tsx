import type { FC } from 'hono/jsx';
import { computeProgress, visibleQuestionKeys } from '../features/assessments/answer-rules';
import type { TemplateQuestion } from '../features/questionnaire-templates/template-document.schemas';
import type { PortalAnswer, PortalView } from './portal.queries';
import { EDITABLE_STATUSES } from './portal.service';
import type { PortalStrings } from './portal.strings';

/**
 * The portal page. Markup is kept lean on purpose (short class names, no redundant attributes):
 * the largest built-in questionnaire must stay under 100 KB with its CSS and JS.
 * Field names: `a.<key>` the answer, `c.<key>` its comment, `v.<key>` the answer version the page
 * showed (for conflict detection). Blocks are `q-<key>-b`, inputs `q-<key>`.
 */

/** A message about one field: a question key, or the id of another field of the page. */
export interface PageError {
  field: string;
  message: string;
}

/** What the supplier typed, shown again when the page comes back with errors. */
export type Overlay = ReadonlyMap<string, { value: unknown; comment: string | null }>;

export const Layout: FC<{ title: string; children?: unknown }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{title}</title>
      <link rel="stylesheet" href="/portal/assets/portal.css" />
      <link rel="icon" href="data:," />
    </head>
    <body>{children}</body>
  </html>
);

function chosenValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

const textOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

const CHOICE = new Set(['yes_no', 'single_choice', 'multiple_choice']);

interface QuestionProps {
  question: TemplateQuestion;
  answer: PortalAnswer | undefined;
  shown: { value: unknown; comment: string | null };
  error: string | undefined;
  editable: boolean;
  token: string;
  strings: PortalStrings;
}

const Files: FC<{ question: TemplateQuestion; answer: PortalAnswer | undefined; editable: boolean; strings: PortalStrings }> = ({
  question,
  answer,
  editable,
  strings,
}) => {
  const k = question.key;
  const files = answer?.evidence ?? [];
  return (
    <div class="fl">
      <ul id={`f-${k}`} aria-label={strings.filesLabel}>
        {files.map((file) => (
          <li>
            {file.name} ({formatSize(file.size)})
            {editable ? (
              <>
                {' '}
                <button form={`r-${k}`} name="evidenceId" value={file.id} aria-label={strings.removeFile(file.name)}>
                  {strings.remove}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <p class="up">
          <label for={`u-${k}-f`}>{strings.attachLabel}</label> <input type="file" id={`u-${k}-f`} name="file" form={`u-${k}`} required />{' '}
          <button form={`u-${k}`}>{strings.upload}</button>
        </p>
      ) : null}
    </div>
  );
};

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const Question: FC<QuestionProps> = ({ question, answer, shown, error, editable, strings }) => {
  const k = question.key;
  const id = `q-${k}`;
  const name = `a.${k}`;
  const showReview = Boolean(answer?.reviewComment && (answer.reviewStatus === 'needs_clarification' || editable));
  const describedBy = [question.help ? `${id}-h` : '', showReview ? `${id}-n` : '', error ? `${id}-e` : ''].filter(Boolean).join(' ') || undefined;
  const disabled = !editable;
  const invalid = error ? 'true' : undefined;
  const tags = (
    <>
      {question.required ? <span class="tag">{strings.requiredMarker}</span> : null}
      {question.evidenceRequired ? <span class="tag">{strings.evidenceMarker}</span> : null}
    </>
  );
  const review = showReview ? (
    <p class="note" id={`${id}-n`}>
      <strong>{answer?.reviewStatus === 'needs_clarification' ? strings.clarificationRequested : strings.reviewerNote}:</strong> {answer?.reviewComment}
    </p>
  ) : null;
  const help = question.help ? (
    <p class="h" id={`${id}-h`}>
      {question.help}
    </p>
  ) : null;
  const message = error ? (
    <p class="err" id={`${id}-e`}>
      {error}
    </p>
  ) : null;

  if (CHOICE.has(question.type)) {
    const type = question.type === 'multiple_choice' ? 'checkbox' : 'radio';
    const chosen = chosenValues(shown.value);
    return (
      <fieldset aria-describedby={describedBy}>
        <legend id={`${id}-l`}>
          {question.text}
          {tags}
        </legend>
        {help}
        {review}
        {message}
        <div class="ch">
          {(question.options ?? []).map((option, index) => (
            <label>
              <input
                type={type}
                name={name}
                value={option.value}
                id={index === 0 ? id : undefined}
                checked={chosen.includes(option.value)}
                disabled={disabled}
                aria-invalid={index === 0 ? invalid : undefined}
              />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
    );
  }

  let input: unknown;
  switch (question.type) {
    case 'number':
      input = (
        <>
          <input
            id={id}
            type="text"
            inputmode="decimal"
            name={name}
            value={textOf(shown.value)}
            disabled={disabled}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
          {question.unit ? <span class="u"> {strings.numberUnit(question.unit)}</span> : null}
        </>
      );
      break;
    case 'date':
      input = <input id={id} type="date" name={name} value={textOf(shown.value)} disabled={disabled} aria-invalid={invalid} aria-describedby={describedBy} />;
      break;
    case 'text':
      input = (
        <textarea id={id} name={name} rows={3} maxlength={10000} disabled={disabled} aria-invalid={invalid} aria-describedby={describedBy}>
          {textOf(shown.value)}
        </textarea>
      );
      break;
    default:
      input = (
        <p class="h" id={id}>
          {strings.fileRequiredHint}
        </p>
      );
  }
  return (
    <>
      {question.type === 'file' ? (
        <p class="qt" id={`${id}-l`}>
          {question.text}
          {tags}
        </p>
      ) : (
        <label class="qt" id={`${id}-l`} for={id}>
          {question.text}
          {tags}
        </label>
      )}
      {help}
      {review}
      {message}
      {input}
    </>
  );
};

export interface PortalPageProps {
  view: PortalView;
  token: string;
  strings: PortalStrings;
  notice?: string | undefined;
  /** Shown at the top, each linked to its field. */
  errors?: PageError[] | undefined;
  overlay?: Overlay | undefined;
}

export const PortalPage: FC<PortalPageProps> = ({ view, token, strings, notice, errors = [], overlay }) => {
  const { assessment, document, answers } = view;
  const editable = EDITABLE_STATUSES.has(assessment.status);
  const visible = visibleQuestionKeys(
    document,
    overlay ? new Map([...overlay].map(([key, shown]) => [key, { value: shown.value, evidenceIds: [] }])) : answers,
  );
  const progress = computeProgress(document, answers);
  const questions = new Map(document.sections.flatMap((section) => section.questions).map((question) => [question.key, question]));
  const errorOf = new Map(errors.map((error) => [error.field, error.message]));
  const base = `/portal/a/${token}`;
  const withFiles = document.sections.flatMap((section) => section.questions).filter((q) => q.type === 'file' || q.evidenceRequired);
  return (
    <Layout title={strings.pageTitle(view.supplierName)}>
      <a class="skip" href="#questions">
        {strings.skipToForm}
      </a>
      <header class="top">
        <h1>{document.name}</h1>
        <p>
          {strings.pageTitle(view.supplierName)} · {strings.requestedBy(view.tenantName)} · {strings.due(assessment.dueAt.toISOString().slice(0, 10))}
        </p>
        <p id="pt" data-t={strings.progress('{a}', '{t}')}>
          {strings.progress(progress.answered, progress.visible)}
        </p>
        <progress id="pb" max={progress.visible} value={progress.answered} aria-labelledby="pt"></progress>
        <p
          id="st"
          role="status"
          data-saving={strings.autosaveSaving}
          data-saved={strings.autosaveSaved}
          data-failed={strings.autosaveFailed}
          data-stale={strings.staleBeside('{v}')}
          data-remove={strings.remove}
          data-remove-file={strings.removeFile('{n}')}
        ></p>
      </header>
      <main id="questions">
        {errors.length > 0 ? (
          <div class="errs" role="alert" id="errs" tabindex={-1}>
            <h2>{strings.errorTitle}</h2>
            <ul>
              {errors.map((error) => (
                <li>
                  <a href={`#${questions.has(error.field) ? `q-${error.field}` : error.field}`}>
                    {questions.get(error.field)?.text ?? ''}
                    {questions.has(error.field) ? ': ' : ''}
                    {error.message}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        {editable && assessment.returnMessage !== null ? (
          <section class="ret" aria-labelledby="ret-h">
            <h2 id="ret-h">{strings.returnedTitle}</h2>
            <p>{assessment.returnMessage}</p>
            <p>{strings.returnedBody}</p>
          </section>
        ) : null}
        {editable ? null : <p class="notice">{strings.readOnly}</p>}
        <form method="post" action={base} id="pf" data-editable={editable ? '1' : undefined}>
          {document.sections.map((section) => (
            <section aria-labelledby={`s-${section.key}`}>
              <h2 id={`s-${section.key}`}>{section.title}</h2>
              {section.description ? <p class="h">{section.description}</p> : null}
              {section.questions.map((question) => {
                const answer = answers.get(question.key);
                const shown = overlay?.get(question.key) ?? { value: answer?.value ?? null, comment: answer?.comment ?? null };
                const error = errorOf.get(question.key);
                return (
                  <div
                    class={`q${answer?.reviewStatus === 'needs_clarification' ? ' nc' : ''}${error ? ' bad' : ''}`}
                    id={`q-${question.key}-b`}
                    hidden={!visible.has(question.key)}
                    data-dep={question.dependsOn?.question}
                    data-any={question.dependsOn?.anyOf.join(' ')}
                  >
                    <Question question={question} answer={answer} shown={shown} error={error} editable={editable} token={token} strings={strings} />
                    {question.type === 'file' || question.evidenceRequired ? (
                      <Files question={question} answer={answer} editable={editable} strings={strings} />
                    ) : null}
                    {editable || shown.comment ? (
                      <details class="c" open={Boolean(shown.comment)}>
                        <summary id={`c-${question.key}`}>{strings.commentLabel}</summary>
                        <textarea name={`c.${question.key}`} maxlength={4000} disabled={!editable} aria-labelledby={`c-${question.key} q-${question.key}-l`}>
                          {shown.comment ?? ''}
                        </textarea>
                      </details>
                    ) : null}
                    {editable ? <input type="hidden" name={`v.${question.key}`} value={String(answer?.version ?? 0)} /> : null}
                  </div>
                );
              })}
            </section>
          ))}
          {editable ? (
            <div class="act">
              <button type="submit" name="action" value="save">
                {strings.save}
              </button>
              <button type="submit" name="action" value="submit" class="pri">
                {strings.submit}
              </button>
            </div>
          ) : null}
        </form>
        {editable
          ? withFiles.map((question) => (
              <>
                <form id={`u-${question.key}`} method="post" enctype="multipart/form-data" action={`${base}/questions/${question.key}/evidence`}></form>
                <form id={`r-${question.key}`} method="post" action={`${base}/questions/${question.key}/evidence/remove`}></form>
              </>
            ))
          : null}
        {editable ? (
          <details class="fwd" open={errorOf.has('fwd-email')}>
            <summary>{strings.forwardTitle}</summary>
            <form method="post" action={`${base}/forward`}>
              <p class="h">{strings.forwardHint}</p>
              {errorOf.has('fwd-email') ? (
                <p class="err" id="fwd-email-e">
                  {errorOf.get('fwd-email')}
                </p>
              ) : null}
              <label for="fwd-email">{strings.forwardEmail}</label>
              <input
                id="fwd-email"
                type="email"
                name="email"
                required
                autocomplete="off"
                aria-invalid={errorOf.has('fwd-email') ? 'true' : undefined}
                aria-describedby={errorOf.has('fwd-email') ? 'fwd-email-e' : undefined}
              />
              <label for="fwd-name">{strings.forwardName}</label>
              <input id="fwd-name" name="name" maxlength={200} autocomplete="off" />
              <label for="fwd-note">{strings.forwardNote}</label>
              <textarea id="fwd-note" name="note" rows={2} maxlength={2000}></textarea>
              <button>{strings.forwardSend}</button>
            </form>
          </details>
        ) : null}
      </main>
      <script src="/portal/assets/portal.js" defer></script>
    </Layout>
  );
};

export const MessagePage: FC<{ title: string; body: string }> = ({ title, body }) => (
  <Layout title={title}>
    <main class="invalid">
      <h1>{title}</h1>
      <p>{body}</p>
    </main>
  </Layout>
);

export const InvalidLinkPage: FC<{ strings: PortalStrings }> = ({ strings }) => (
  <MessagePage title={strings.linkInvalidTitle} body={strings.linkInvalidBody} />
);
