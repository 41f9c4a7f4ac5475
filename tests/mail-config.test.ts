import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

/** 32 bytes in base64: production needs SECRETS_ENCRYPTION_KEY. */
const PRODUCTION_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('mail configuration', () => {
  it('defaults to the log transport and a local sender', () => {
    expect(loadConfig({}).mail).toEqual({
      transport: 'log',
      from: 'Chainproof <no-reply@localhost>',
      smtpUrl: undefined,
      httpUrl: undefined,
      httpToken: undefined,
    });
    expect(loadConfig({ MAIL_FROM: '  ' }).mail.from).toBe('Chainproof <no-reply@localhost>');
  });

  it('reads SMTP and HTTP settings', () => {
    const smtp = loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://user:pass@smtp.example.com:465', MAIL_FROM: 'risk@example.com' });
    expect(smtp.mail).toMatchObject({ transport: 'smtp', smtpUrl: 'smtps://user:pass@smtp.example.com:465', from: 'risk@example.com' });
    const http = loadConfig({
      NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY,
      MAIL_TRANSPORT: 'http',
      MAIL_HTTP_URL: 'https://api.mail.example/emails',
      MAIL_HTTP_TOKEN: 're_0123456789',
      MAIL_FROM: '"Supplier Risk, ACME" <risk@acme.example>',
    });
    expect(http.mail).toMatchObject({ transport: 'http', httpUrl: 'https://api.mail.example/emails', httpToken: 're_0123456789' });
  });

  it('names the variable a transport needs', () => {
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp' })).toEqual(['SMTP_URL is required when MAIL_TRANSPORT=smtp']);
    expect(problemsOf({ MAIL_TRANSPORT: 'http' })).toEqual([
      'MAIL_HTTP_URL is required when MAIL_TRANSPORT=http',
      'MAIL_HTTP_TOKEN is required when MAIL_TRANSPORT=http',
    ]);
    expect(problemsOf({ MAIL_TRANSPORT: 'http', MAIL_HTTP_URL: 'https://mail.example/send' })).toEqual([
      'MAIL_HTTP_TOKEN is required when MAIL_TRANSPORT=http',
    ]);
    // Settings of another transport are not required, nor checked for presence.
    expect(problemsOf({ MAIL_TRANSPORT: 'log', MAIL_HTTP_URL: 'https://mail.example/send' })).toEqual([]);
  });

  it('refuses bad values without echoing secrets', () => {
    expect(problemsOf({ MAIL_TRANSPORT: 'sendmail' })[0]).toMatch(/^MAIL_TRANSPORT .*"sendmail"/);
    const smtp = problemsOf({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'http://user:hunter2@smtp.example.com' });
    expect(smtp).toEqual(['SMTP_URL must be an smtp:// or smtps:// URL']);
    const http = problemsOf({ MAIL_TRANSPORT: 'http', MAIL_HTTP_URL: 'ftp://key:hunter2@mail.example', MAIL_HTTP_TOKEN: 'hunter2' });
    expect(http).toEqual(['MAIL_HTTP_URL must be an http:// or https:// URL']);
    expect(problemsOf({ MAIL_FROM: 'no address here' })[0]).toMatch(/^MAIL_FROM must be an address/);
    expect(problemsOf({ MAIL_FROM: 'Evil <a@example.com>\r\nBcc: x@example.com' })[0]).toMatch(/^MAIL_FROM /);
    expect([...smtp, ...http].join('\n')).not.toContain('hunter2');
  });

  it('wants https for the mail API in production, where the bearer token would travel', () => {
    const env = { MAIL_TRANSPORT: 'http', MAIL_HTTP_URL: 'http://mail.example/send', MAIL_HTTP_TOKEN: 'token' };
    expect(problemsOf(env)).toEqual([]);
    expect(problemsOf({ ...env, NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY })).toEqual(['MAIL_HTTP_URL must be an https:// URL when NODE_ENV=production']);
  });
});
