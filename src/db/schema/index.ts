export * from './tenants';
export * from './audit';
export * from './idempotency';
export * from './suppliers';
export * from './questionnaires';
export * from './assessments';
export * from './evidence';
export * from './risk';
