/**
 * The portal's own CSS and JS, small and served by the app (no framework, no CDN; the CSP allows
 * only same-origin scripts). The page works without the script: it is a plain form. The script
 * adds autosave, live progress, uploads without leaving the page and the show/hide of conditional
 * questions. It holds no words of its own: the page passes them in data attributes of #st.
 */
export const PORTAL_CSS = `
:root{--ink:#1d2330;--mut:#5b6475;--line:#d5d9e0;--acc:#0b5cad;--warn:#8a4b00;--bad:#b3261e;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
.top{background:#fff;border-bottom:1px solid var(--line);padding:1rem 1.25rem;position:sticky;top:0;z-index:1}
.top h1{margin:0 0 .25rem;font-size:1.35rem}
.top p{margin:0;color:var(--mut)}
#st{min-height:1.5em;font-size:.9rem}
progress{width:100%;height:.5rem;margin-top:.5rem}
main{max-width:52rem;margin:0 auto;padding:1rem 1.25rem 4rem}
section{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0}
h2{font-size:1.15rem;margin:0 0 .5rem}
.q{padding:.75rem 0;border-top:1px solid var(--line)}
h2+.q,.h+.q{border-top:0}
.q[hidden]{display:none}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend,.qt{display:block;font-weight:600;margin-bottom:.35rem;padding:0}
.tag{font-weight:400;font-size:.8rem;color:var(--mut);border:1px solid var(--line);border-radius:1rem;padding:0 .5rem;margin-left:.4rem}
.h{color:var(--mut);margin:.25rem 0 .5rem}
.ch{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.ch label{display:inline-flex;gap:.4rem;align-items:center;padding:.2rem 0}
input[type=radio],input[type=checkbox]{width:1.15rem;height:1.15rem;margin:0}
input,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #767f8f;border-radius:.35rem;max-width:100%}
textarea,.fwd input{width:100%}
.c textarea{height:3.5em}
:focus-visible{outline:3px solid var(--acc);outline-offset:2px}
.nc{border-left:4px solid var(--warn);padding-left:.75rem}
.note{color:var(--warn)}
.bad{border-left:4px solid var(--bad);padding-left:.75rem}
.err{color:var(--bad);font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border-color:var(--bad);box-shadow:0 0 0 1px var(--bad)}
.notice,.ret{background:#e8f1fb;border:1px solid #b6d0ee;padding:.6rem .8rem;border-radius:.35rem}
.ret{border-color:var(--warn);background:#fff6e8}
.errs{background:#fdf0ef;border:2px solid var(--bad);padding:.6rem .8rem;border-radius:.35rem}
.errs a{color:var(--bad)}
.act{display:flex;gap:.75rem;justify-content:flex-end;position:sticky;bottom:0;background:var(--bg);padding:.75rem 0}
button{font:inherit;padding:.55rem 1.1rem;border-radius:.35rem;border:1px solid #767f8f;background:#fff;cursor:pointer}
.pri{background:var(--acc);color:#fff;border-color:var(--acc)}
.fl ul{margin:.25rem 0;padding-left:1.2rem}
.fl li button,.up button{padding:.2rem .6rem;font-size:.9rem}
.up{margin:.25rem 0}
details{margin-top:.4rem}
summary{color:var(--mut);cursor:pointer;font-size:.9rem}
.fwd{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1.25rem}
.fwd label{display:block;margin-top:.5rem}
.fwd button{margin-top:.75rem}
.invalid{max-width:36rem}
@media (max-width:40rem){.top{position:static}.act{flex-direction:column}main,.top{padding-left:.75rem;padding-right:.75rem}section{padding:.75rem}}
`.trim();

// Indentation is for reading here; the served script goes without it.
export const PORTAL_JS = `
(function () {
  var d = document, form = d.getElementById('pf');
  if (!form) return;
  var st = d.getElementById('st');
  var blocks = [].slice.call(form.querySelectorAll('.q'));
  var token = location.pathname.split('/')[3];
  var editable = form.hasAttribute('data-editable');
  var dirty = {}, timer = 0, busy = false;
  var errs = d.getElementById('errs');
  if (errs) errs.focus();

  function text(name) { return st.getAttribute('data-' + name) || ''; }
  function say(name) { st.textContent = text(name); }
  function named(name) { return form.querySelectorAll('[name="' + name + '"]'); }
  function block(key) { return d.getElementById('q-' + key + '-b'); }
  function keyOf(b) { return b.id.slice(2, -2); }
  function version(key) { return named('v.' + key)[0]; }
  function chosen(key) {
    var inputs = named('a.' + key), values = [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === 'radio' || input.type === 'checkbox') && !input.checked) continue;
      if (input.value) values.push(input.value);
    }
    return values;
  }
  // data-dep: the question shows when that question is shown and answered with one of data-any.
  function refresh() {
    var visible = {};
    blocks.forEach(function (b) {
      var dep = b.getAttribute('data-dep'), shown = true;
      if (dep) {
        var anyOf = (b.getAttribute('data-any') || '').split(' ');
        shown = !!visible[dep] && chosen(dep).some(function (v) { return anyOf.indexOf(v) >= 0; });
      }
      visible[keyOf(b)] = shown;
      b.hidden = !shown;
    });
  }
  function valueOf(key) {
    var inputs = named('a.' + key), first = inputs[0];
    if (!first) return null;
    var values = chosen(key);
    if (first.type === 'checkbox') return values.length ? values : null;
    if (first.type === 'radio') return values.length ? values[0] : null;
    var v = first.value.trim();
    if (!v) return null;
    if (first.getAttribute('inputmode') === 'decimal') {
      var n = Number(v.replace(/\\s/g, '').replace(/^(-?\\d+),(\\d+)$/, '$1.$2'));
      return isNaN(n) ? v : n;
    }
    return first.value;
  }
  function labelOf(key, value) {
    if (value === null || value === undefined) return '—';
    var list = [].concat(value).map(function (v) {
      var input = form.querySelector('[name="a.' + key + '"][value="' + String(v).replace(/"/g, '') + '"]');
      return input && input.parentNode.textContent.trim() || String(v);
    });
    return list.join(', ');
  }
  function showError(key, message) {
    var b = block(key);
    if (!b) return;
    var id = 'q-' + key + '-e', p = d.getElementById(id), input = d.getElementById('q-' + key);
    if (!p) {
      p = d.createElement('p');
      p.className = 'err';
      p.id = id;
      var at = b.querySelector('.ch') || input;
      if (at && at.parentNode) at.parentNode.insertBefore(p, at); else b.appendChild(p);
    }
    p.textContent = message;
    b.classList.add('bad');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      var by = (input.getAttribute('aria-describedby') || '').split(' ');
      if (by.indexOf(id) < 0) input.setAttribute('aria-describedby', by.concat(id).join(' ').trim());
    }
  }
  function clearError(key) {
    var b = block(key), p = d.getElementById('q-' + key + '-e'), input = d.getElementById('q-' + key);
    if (p) p.parentNode.removeChild(p);
    if (b) b.classList.remove('bad');
    if (input) input.removeAttribute('aria-invalid');
  }
  function progress(p) {
    if (!p) return;
    var bar = d.getElementById('pb'), label = d.getElementById('pt');
    bar.max = p.total;
    bar.value = p.answered;
    label.textContent = label.getAttribute('data-t').replace('{a}', p.answered).replace('{t}', p.total);
  }
  function call(method, path, body, json) {
    var headers = { 'X-Portal-Token': token };
    if (json) headers['Content-Type'] = 'application/json';
    return fetch('/portal/api/' + path, { method: method, headers: headers, body: body, credentials: 'omit' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    });
  }
  function later(ms) { clearTimeout(timer); timer = setTimeout(save, ms); }
  function save() {
    if (busy) return later(300);
    var keys = Object.keys(dirty);
    if (!keys.length) return;
    dirty = {};
    var answers = keys.map(function (key) {
      var answer = { questionKey: key, value: valueOf(key), version: Number(version(key).value) };
      var comment = named('c.' + key)[0];
      if (comment) answer.comment = comment.value;
      return answer;
    });
    busy = true;
    say('saving');
    call('PUT', 'answers', JSON.stringify({ answers: answers }), true).then(function (res) {
      busy = false;
      var data = res.data, retry = [];
      if (res.ok) {
        data.answers.forEach(function (a) { version(a.questionKey).value = a.version; clearError(a.questionKey); });
        progress(data.progress);
        return say(Object.keys(dirty).length ? 'saving' : 'saved');
      }
      if (res.status === 409 && data.current) {
        var current = data.current;
        version(current.questionKey).value = current.version;
        showError(current.questionKey, text('stale').replace('{v}', labelOf(current.questionKey, current.value)));
        retry = keys.filter(function (k) { return k !== current.questionKey; });
      } else if (res.status === 422 && data.errors) {
        var bad = {};
        data.errors.forEach(function (e) {
          var m = /^answers\\.(\\d+)\\./.exec(e.path), key = m && answers[Number(m[1])].questionKey;
          if (key) { bad[key] = 1; showError(key, e.message.replace(/^[^:]+: /, '')); }
        });
        retry = keys.filter(function (k) { return !bad[k]; });
      } else {
        keys.forEach(function (k) { dirty[k] = 1; });
        say('failed');
        return later(5000);
      }
      say('failed');
      retry.forEach(function (k) { dirty[k] = 1; });
      if (retry.length) later(0);
    }, function () {
      busy = false;
      keys.forEach(function (k) { dirty[k] = 1; });
      say('failed');
      later(5000);
    });
  }
  function changed(e) {
    var target = e.target, b = target.closest && target.closest('.q');
    if (e.type === 'change') refresh();
    if (!editable || !b || target.type === 'file' || !target.name) return;
    dirty[keyOf(b)] = 1;
    later(800);
  }
  function size(bytes) {
    return bytes < 1024 ? bytes + ' B' : bytes < 1048576 ? Math.round(bytes / 1024) + ' KB' : (bytes / 1048576).toFixed(1) + ' MB';
  }
  function fileItem(key, file) {
    var li = d.createElement('li'), button = d.createElement('button');
    li.appendChild(d.createTextNode(file.name + ' (' + size(file.size) + ') '));
    button.setAttribute('form', 'r-' + key);
    button.name = 'evidenceId';
    button.value = file.id;
    button.textContent = text('remove');
    button.setAttribute('aria-label', text('remove-file').replace('{n}', file.name));
    li.appendChild(button);
    return li;
  }
  function upload(f, key) {
    var input = d.getElementById('u-' + key + '-f');
    if (!input || !input.files.length) return;
    say('saving');
    call('POST', 'questions/' + encodeURIComponent(key) + '/evidence', new FormData(f), false).then(function (res) {
      if (!res.ok) {
        var e = res.data.errors && res.data.errors[0];
        say('failed');
        return showError(key, e ? e.message : res.data.detail || text('failed'));
      }
      clearError(key);
      d.getElementById('f-' + key).appendChild(fileItem(key, res.data.evidence));
      input.value = '';
      progress(res.data.progress);
      say('saved');
    }, function () { say('failed'); });
  }
  function remove(key, button) {
    say('saving');
    call('DELETE', 'questions/' + encodeURIComponent(key) + '/evidence/' + encodeURIComponent(button.value), undefined, false).then(function (res) {
      if (!res.ok) { say('failed'); return showError(key, res.data.detail || text('failed')); }
      var li = button.closest('li');
      li.parentNode.removeChild(li);
      progress(res.data.progress);
      say('saved');
    }, function () { say('failed'); });
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function () { clearTimeout(timer); });
  d.addEventListener('submit', function (e) {
    var f = e.target, id = f.id || '', key = id.slice(2);
    if (id.indexOf('u-') === 0) { e.preventDefault(); upload(f, key); }
    else if (id.indexOf('r-') === 0 && e.submitter) { e.preventDefault(); remove(key, e.submitter); }
  });
  refresh();
})();
`.replace(/^\s+/gm, '');
