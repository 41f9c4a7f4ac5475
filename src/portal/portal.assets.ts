/**
 * The portal's own CSS and JS, small and served by the app (no framework, no CDN). The page works
 * without the script; the script shows and hides conditional questions as answers change.
 */
export const PORTAL_CSS = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d5d9e0; --accent: #0b5cad; --warn: #8a4b00; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
.top { background: #fff; border-bottom: 1px solid var(--line); padding: 1rem 1.25rem; position: sticky; top: 0; z-index: 1; }
.top h1 { margin: 0 0 .25rem; font-size: 1.35rem; }
.top p { margin: 0; color: var(--muted); }
progress { width: 100%; height: .5rem; margin-top: .5rem; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.25rem 4rem; }
.section { background: #fff; border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin: 1rem 0; }
.section h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
.question { padding: .75rem 0; border-top: 1px solid var(--line); }
.question:first-of-type { border-top: 0; }
.question[hidden] { display: none; }
.question-text { display: block; font-weight: 600; margin-bottom: .35rem; }
.tag { font-weight: 400; font-size: .8rem; color: var(--muted); border: 1px solid var(--line); border-radius: 1rem; padding: 0 .5rem; margin-left: .4rem; }
.help, .hint, .section-description { color: var(--muted); margin: .25rem 0 .5rem; }
.choices { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
.choice { display: inline-flex; gap: .4rem; align-items: center; }
input[type=number], input[type=date], textarea { font: inherit; padding: .4rem .5rem; border: 1px solid #9aa3b2; border-radius: .35rem; }
textarea { width: 100%; }
input:focus-visible, textarea:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.needs-clarification { border-left: 4px solid var(--warn); padding-left: .75rem; }
.clarification { color: var(--warn); }
.notice { background: #e8f1fb; border: 1px solid #b6d0ee; padding: .6rem .8rem; border-radius: .35rem; }
.errors { background: #fdf0e6; border: 1px solid #e8b98f; padding: .6rem .8rem; border-radius: .35rem; }
.actions { display: flex; gap: .75rem; justify-content: flex-end; position: sticky; bottom: 0; background: var(--bg); padding: .75rem 0; }
button { font: inherit; padding: .55rem 1.1rem; border-radius: .35rem; border: 1px solid #9aa3b2; background: #fff; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
.comment { margin-top: .4rem; }
.comment summary { color: var(--muted); cursor: pointer; font-size: .9rem; }
.invalid { max-width: 36rem; }
@media (max-width: 40rem) { .top { position: static; } .actions { flex-direction: column; } }
`;

export const PORTAL_JS = `
(function () {
  var form = document.getElementById('portal-form');
  if (!form) return;
  var blocks = Array.prototype.slice.call(form.querySelectorAll('.question'));
  function chosen(key) {
    var inputs = form.querySelectorAll('[name="answer.' + key + '"]');
    var values = [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === 'radio' || input.type === 'checkbox') && !input.checked) continue;
      if (input.value) values.push(input.value);
    }
    return values;
  }
  function refresh() {
    var visible = {};
    blocks.forEach(function (block) {
      var key = block.getAttribute('data-key');
      var dependsOn = block.getAttribute('data-depends-on');
      var shown = true;
      if (dependsOn) {
        var anyOf = (block.getAttribute('data-any-of') || '').split(' ');
        shown = !!visible[dependsOn] && chosen(dependsOn).some(function (value) { return anyOf.indexOf(value) >= 0; });
      }
      visible[key] = shown;
      block.hidden = !shown;
    });
  }
  form.addEventListener('change', refresh);
  refresh();
})();
`;
