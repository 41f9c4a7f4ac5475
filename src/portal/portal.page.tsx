import type { FC } from 'hono/jsx';
import { computeProgress, visibleQuestionKeys } from '../features/assessments/answer-rules';
import type { TemplateQuestion } from '../features/questionnaire-templates/template-document.schemas';
import type { PortalView } from './portal.queries';
import type { PortalStrings } from './portal.strings';

const EDITABLE = new Set(['sent', 'in_progress', 'returned']);

type Answer = PortalView['answers'] extends Map<string, infer A> ? A : never;

const Layout: FC<{ title: string; children?: unknown }> = ({ title, children }) => (
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

function choiceValue(answer: Answer | undefined): string[] {
  const value = answer?.value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

const QuestionInput: FC<{ question: TemplateQuestion; answer: Answer | undefined; disabled: boolean; strings: PortalStrings }> = ({
  question,
  answer,
  disabled,
  strings,
}) => {
  const name = `answer.${question.key}`;
  const id = `q-${question.key}`;
  const chosen = choiceValue(answer);
  switch (question.type) {
    case 'yes_no':
    case 'single_choice':
      return (
        <fieldset class="choices" aria-labelledby={`${id}-label`} aria-describedby={question.help ? `${id}-help` : undefined}>
          {(question.options ?? []).map((option) => (
            <label class="choice">
              <input type="radio" name={name} value={option.value} checked={chosen.includes(option.value)} disabled={disabled} />
              {option.label}
            </label>
          ))}
        </fieldset>
      );
    case 'multiple_choice':
      return (
        <fieldset class="choices" aria-labelledby={`${id}-label`} aria-describedby={question.help ? `${id}-help` : undefined}>
          {(question.options ?? []).map((option) => (
            <label class="choice">
              <input type="checkbox" name={name} value={option.value} checked={chosen.includes(option.value)} disabled={disabled} />
              {option.label}
            </label>
          ))}
        </fieldset>
      );
    case 'number':
      return (
        <span class="number">
          <input
            id={id}
            type="number"
            name={name}
            step="any"
            min={question.min}
            max={question.max}
            value={typeof answer?.value === 'number' ? String(answer.value) : ''}
            disabled={disabled}
          />
          {question.unit ? <span class="unit">{strings.numberUnit(question.unit)}</span> : null}
        </span>
      );
    case 'date':
      return <input id={id} type="date" name={name} value={typeof answer?.value === 'string' ? answer.value : ''} disabled={disabled} />;
    case 'text':
      return (
        <textarea id={id} name={name} rows={3} maxlength={10000} disabled={disabled}>
          {typeof answer?.value === 'string' ? answer.value : ''}
        </textarea>
      );
    case 'file':
      return (
        <p class="hint" id={id}>
          {strings.fileHint}
        </p>
      );
  }
};

const CHOICE_TYPES = new Set(['yes_no', 'single_choice', 'multiple_choice']);

/** A real <label> for single inputs; choice groups are labelled by this text through aria-labelledby. */
const QuestionLabel: FC<{ question: TemplateQuestion; strings: PortalStrings }> = ({ question, strings }) => {
  const content = (
    <>
      {question.text}
      {question.required ? <span class="tag">{strings.requiredMarker}</span> : null}
      {question.evidenceRequired ? <span class="tag">{strings.evidenceMarker}</span> : null}
    </>
  );
  return CHOICE_TYPES.has(question.type) || question.type === 'file' ? (
    <p class="question-text" id={`q-${question.key}-label`}>
      {content}
    </p>
  ) : (
    <label class="question-text" id={`q-${question.key}-label`} for={`q-${question.key}`}>
      {content}
    </label>
  );
};

export const PortalPage: FC<{ view: PortalView; token: string; strings: PortalStrings; notice?: string; errors?: string[] }> = ({
  view,
  token,
  strings,
  notice,
  errors,
}) => {
  const { assessment, document, answers } = view;
  const editable = EDITABLE.has(assessment.status);
  const visible = visibleQuestionKeys(document, answers);
  const progress = computeProgress(document, answers);
  const questionsByKey = new Map(document.sections.flatMap((section) => section.questions).map((question) => [question.key, question]));
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
        <p class="progress-text" id="progress-text">
          {strings.progress(progress.answered, progress.visible)}
        </p>
        <progress id="progress" max={progress.visible} value={progress.answered}>
          {progress.answered}/{progress.visible}
        </progress>
      </header>
      <main id="questions">
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        {errors && errors.length > 0 ? (
          <div class="errors" role="alert">
            <p>{strings.missingRequired}</p>
            <ul>
              {errors.map((key) => (
                <li>
                  <a href={`#q-${key}-block`}>{questionsByKey.get(key)?.text ?? key}</a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {editable ? null : <p class="notice">{strings.readOnly}</p>}
        <form method="post" action={`/portal/a/${token}`} id="portal-form" data-editable={editable ? 'true' : 'false'}>
          {document.sections.map((section) => (
            <section class="section" aria-labelledby={`s-${section.key}`}>
              <h2 id={`s-${section.key}`}>{section.title}</h2>
              {section.description ? <p class="section-description">{section.description}</p> : null}
              {section.questions.map((question) => {
                const answer = answers.get(question.key);
                const shown = visible.has(question.key);
                return (
                  <div
                    class={`question${answer?.reviewStatus === 'needs_clarification' ? ' needs-clarification' : ''}`}
                    id={`q-${question.key}-block`}
                    hidden={!shown}
                    data-key={question.key}
                    data-depends-on={question.dependsOn ? question.dependsOn.question : undefined}
                    data-any-of={question.dependsOn ? question.dependsOn.anyOf.join(' ') : undefined}
                  >
                    <QuestionLabel question={question} strings={strings} />
                    {question.help ? (
                      <p class="help" id={`q-${question.key}-help`}>
                        {question.help}
                      </p>
                    ) : null}
                    {answer?.reviewStatus === 'needs_clarification' ? (
                      <p class="clarification" role="note">
                        <strong>{strings.clarificationRequested}:</strong> {answer.reviewComment}
                      </p>
                    ) : null}
                    <QuestionInput question={question} answer={answer} disabled={!editable} strings={strings} />
                    <details class="comment" open={Boolean(answer?.comment)}>
                      <summary id={`c-${question.key}`}>{strings.commentLabel}</summary>
                      <textarea name={`comment.${question.key}`} rows={2} maxlength={4000} disabled={!editable} aria-labelledby={`c-${question.key} q-${question.key}-label`}>
                        {answer?.comment ?? ''}
                      </textarea>
                    </details>
                    <input type="hidden" name={`version.${question.key}`} value={String(answer?.version ?? 0)} />
                  </div>
                );
              })}
            </section>
          ))}
          {editable ? (
            <div class="actions">
              <button type="submit" name="action" value="save">
                {strings.save}
              </button>
              <button type="submit" name="action" value="submit" class="primary">
                {strings.submit}
              </button>
            </div>
          ) : null}
        </form>
      </main>
      <script src="/portal/assets/portal.js" defer></script>
    </Layout>
  );
};

export const InvalidLinkPage: FC<{ strings: PortalStrings }> = ({ strings }) => (
  <Layout title={strings.linkInvalidTitle}>
    <main class="invalid">
      <h1>{strings.linkInvalidTitle}</h1>
      <p>{strings.linkInvalidBody}</p>
    </main>
  </Layout>
);
