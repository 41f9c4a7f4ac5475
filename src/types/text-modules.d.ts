// Files that wrangler bundles as text modules (`[[rules]] type = "Text"` in wrangler.toml).
// Only src/worker.ts imports them; Node reads the same files from disk (src/node-docs-assets.ts).

declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}

declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
