// The guided setup and the instance list, over the REST API. The token lives in this variable only.
'use strict';
let token = null;
let doc = null;          // the chosen connector's document
let editing = null;      // the name of the instance being edited, or null for a new one
let step = 0;
const $ = id => document.getElementById(id);

async function api(method, path, body) {
  const response = await fetch('/api/v1' + path, {
    method, headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  return {status: response.status, body: text && !path.endsWith('/test') ? JSON.parse(text) : text};
}

function show(section) {
  for (const s of ['login', 'wizard', 'instances']) $(s).hidden = s !== section;
}

function go(n) {
  step = n;
  document.querySelectorAll('.step').forEach((el, i) => el.hidden = i !== n);
  document.querySelectorAll('#steps li').forEach((el, i) => el.classList.toggle('current', i === n));
  if (n === 3) showData();
  if (n === 4) preview();
  if (n === 5) $('review').textContent = JSON.stringify(masked(instanceBody()), null, 2);
}

$('connect').onclick = async () => {
  token = $('token').value.trim();
  const r = await api('GET', '/connectors');
  if (r.status !== 200) { $('login-error').textContent = r.body.message; token = null; return; }
  $('connector-select').innerHTML = r.body.map(c =>
    `<option value="${esc(c.id)}">${esc(c.vendor)} ${esc(c.product)} (${esc(c.id)} ${esc(c.version)})</option>`).join('');
  await openInstances();
};
$('nav-setup').onclick = () => { if (token) { editing = null; show('wizard'); go(0); } };
$('nav-instances').onclick = () => { if (token) openInstances(); };
document.querySelectorAll('.back').forEach(b => b.onclick = () => go(step - 1));

$('next-0').onclick = async () => { await loadConnector($('connector-select').value, {}); go(1); };

async function loadConnector(id, values) {
  doc = (await api('GET', '/connectors/' + encodeURIComponent(id))).body;
  const schema = doc.configSchema;
  $('profile').innerHTML = Object.entries(schema.properties).map(([name, p]) => {
    const required = schema.required.includes(name) ? ' *' : '';
    const help = p.description ? `<p class="help">${esc(p.description)}</p>` : '';
    return `<div class="field"><label for="field-${name}">${esc(p.title)}${required}</label>${help}${input(name, p)}
      <p class="problem" id="problem-${name}"></p></div>`;
  }).join('');
  for (const [name, value] of Object.entries(values)) setValue(name, value);
  $('profile').querySelectorAll('input, select, textarea').forEach(el => el.addEventListener('change', validate));
}

function input(name, p) {
  const id = `field-${name}`;
  const value = p.default === undefined ? '' : p.default;
  if (p.enum) return `<select id="${id}">${p.enum.map(v => `<option${v === value ? ' selected' : ''}>${esc(v)}</option>`).join('')}</select>`;
  if (p.type === 'array') return `<span id="${id}">${p.items.enum.map(v => `<label class="help"><input type="checkbox" value="${esc(v)}"
      ${(p.default || []).includes(v) ? 'checked' : ''}> ${esc(v)}</label>`).join('')}</span>`;
  if (p.type === 'boolean') return `<input id="${id}" type="checkbox" ${value ? 'checked' : ''}>`;
  if (p.contentMediaType) return `<textarea id="${id}"></textarea>`;
  const type = p.writeOnly ? 'password' : p.type === 'integer' ? 'number' : 'text';
  const example = p.examples ? ` placeholder="${esc(p.examples[0])}"` : '';
  return `<input id="${id}" type="${type}" value="${esc(value)}"${example} autocomplete="off">`;
}

function setValue(name, value) {
  const el = $('field-' + name);
  if (!el) return;
  if (el.tagName === 'SPAN') el.querySelectorAll('input').forEach(c => c.checked = value.includes(c.value));
  else if (el.type === 'checkbox') el.checked = value;
  else el.value = value === '[hidden]' ? '' : value;
}

function config() {
  const out = {};
  for (const [name, p] of Object.entries(doc.configSchema.properties)) {
    const el = $('field-' + name);
    if (el.tagName === 'SPAN') out[name] = [...el.querySelectorAll('input:checked')].map(c => c.value);
    else if (el.type === 'checkbox') out[name] = el.checked;
    else if (el.value.trim() === '') continue;
    else out[name] = p.type === 'integer' ? Number(el.value) : el.value.trim();
  }
  return out;
}

async function validate() {
  const r = await api('POST', `/connectors/${doc.descriptor.id}/validate`, config());
  document.querySelectorAll('.problem').forEach(el => el.textContent = '');
  for (const p of r.body.problems) { const el = $('problem-' + p.field); if (el) el.textContent = p.message; }
  return r.body.valid;
}

$('next-1').onclick = async () => {
  if (await validate()) { $('checks').innerHTML = ''; $('next-2').disabled = true; go(2); }
};

$('run-test').onclick = async () => {
  $('next-2').disabled = true;
  $('checks').innerHTML = '';
  $('run-test').disabled = true;
  try {
    const response = await fetch(`/api/v1/connectors/${doc.descriptor.id}/test`, {method: 'POST',
      headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'}, body: JSON.stringify(instanceBody())});
    if (response.status !== 200) { const e = await response.json(); addCheck({status: 'FAILED', title: e.kind, message: e.message, remediation: e.remediation}); return; }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if ('allPassed' in line) $('next-2').disabled = !line.allPassed; else addCheck(line);
      }
    }
  } finally { $('run-test').disabled = false; }
};

function addCheck(c) {
  const li = document.createElement('li');
  li.className = c.status;
  li.dataset.kind = c.kind || '';
  li.innerHTML = `<strong>${esc(c.title)}</strong> ${esc(c.status)} <span>${esc(c.message)}</span>`
    + (c.remediation ? `<div class="remediation">${esc(c.remediation)}</div>` : '');
  $('checks').appendChild(li);
}
$('next-2').onclick = () => go(3);

function showData() {
  const c = config();
  const picked = Object.entries(doc.configSchema.properties).filter(([n, p]) => p.enum || p.type === 'array')
    .map(([n, p]) => `${p.title}: ${Array.isArray(c[n]) ? (c[n].join(', ') || 'none') : c[n]}`);
  $('data-summary').textContent = picked.join(' · ');
  $('maps').innerHTML = doc.transformMaps.map(m => `<details><summary>${esc(m.name)}: ${esc(m.sourceStream)} → ${esc(m.targetKind)}
      ${m.activeByDefault ? '' : '(inactive by default)'}</summary><table><tr><th>Source</th><th>Target</th><th>Required</th><th>Converter</th></tr>
      ${(m.rows || []).map(r => `<tr><td>${esc(r.source)}</td><td>${esc(r.target)}</td><td>${r.required ? 'yes' : ''}</td>
      <td>${esc(r.converter || '')}</td></tr>`).join('')}</table></details>`).join('');
}
$('next-3').onclick = () => go(4);

const zones = ['UTC', ...(Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : []).filter(z => z !== 'UTC')];
$('schedule-zone').innerHTML = zones.map(z => `<option value="${esc(z)}">${esc(z)}</option>`).join('');
// the browser's own zone when the list has it, else UTC
$('schedule-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (!$('schedule-zone').value) $('schedule-zone').value = 'UTC';
$('schedule-start').value = new Date(Date.now() + 3600e3 - new Date().getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
['schedule-type', 'schedule-every', 'schedule-start', 'schedule-zone'].forEach(id => $(id).addEventListener('change', preview));

function schedule() {
  const s = {type: $('schedule-type').value, start: $('schedule-start').value, zone: $('schedule-zone').value};
  if (s.type === 'recurring') s.every = $('schedule-every').value;
  return s;
}

async function preview() {
  $('every-label').hidden = $('schedule-type').value !== 'recurring';
  const r = await api('POST', '/schedules/preview', schedule());
  $('schedule-description').textContent = r.status === 200 ? r.body.description : r.body.message;
  $('schedule-preview').innerHTML = r.status === 200 ? r.body.next.map(t => `<li>${esc(t)}</li>`).join('') : '';
  $('next-4').disabled = r.status !== 200;
}
$('next-4').onclick = () => go(5);

function instanceBody() {
  const c = config();
  const body = {connector: doc.descriptor.id, name: c.name || '', description: c.description || '', config: c, schedule: schedule()};
  return body;
}

function masked(body) {
  const c = {...body.config};
  for (const [n, p] of Object.entries(doc.configSchema.properties)) if (p.writeOnly && c[n] && !/^[a-z][a-z0-9-]*:/.test(c[n])) c[n] = '[hidden]';
  return {...body, config: c};
}

$('save').onclick = async () => {
  $('save-error').textContent = '';
  const r = editing ? await api('PUT', '/instances/' + encodeURIComponent(editing), instanceBody())
    : await api('POST', '/instances', instanceBody());
  if (r.status === 200 || r.status === 201) { await openInstances(r.body.name); return; }
  $('save-error').textContent = `${r.body.kind}: ${r.body.message} ${r.body.remediation || ''}`;
};

async function openInstances(selected) {
  show('instances');
  const r = await api('GET', '/instances');
  $('instance-rows').innerHTML = r.body.map(i => `<tr data-name="${esc(i.name)}"><td><a href="#" class="open">${esc(i.name)}</a></td>
    <td>${esc(i.connector)}</td><td class="state">${esc(i.state)}</td>
    <td>${i.lastRun ? esc(i.lastRun.state + ' ' + i.lastRun.finishedAt) : ''}</td><td>${esc(i.nextRun || '')}</td>
    <td><button type="button" class="run-now">Run now</button> <button type="button" class="back edit">Edit</button>
    <button type="button" class="back delete">Delete</button></td></tr>`).join('');
  document.querySelectorAll('#instance-rows tr').forEach(row => {
    const name = row.dataset.name;
    row.querySelector('.open').onclick = e => { e.preventDefault(); openDetail(name); };
    row.querySelector('.run-now').onclick = () => runNow(name);
    row.querySelector('.edit').onclick = () => edit(r.body.find(i => i.name === name));
    row.querySelector('.delete').onclick = async () => {
      if (confirm(`Delete ${name} and its history?`)) { await api('DELETE', '/instances/' + encodeURIComponent(name)); openInstances(); }
    };
  });
  if (selected) await openDetail(selected);
}

async function edit(instance) {
  editing = instance.name;
  show('wizard');
  await loadConnector(instance.connector, instance.config);
  if (instance.schedule) {
    $('schedule-type').value = instance.schedule.type;
    if (instance.schedule.every) $('schedule-every').value = instance.schedule.every;
    $('schedule-start').value = instance.schedule.start;
    $('schedule-zone').value = instance.schedule.zone;
  }
  go(1);
}

async function runNow(name) {
  const r = await api('POST', `/instances/${encodeURIComponent(name)}/runs`);
  if (r.status !== 202) { alert(r.body.message); return; }
  await openDetail(name);
  for (;;) {
    const run = (await api('GET', '/runs/' + r.body.runId)).body;
    if (run.state === 'PROCESSED' || run.state === 'ERRORED') break;
    $('live-run').textContent = `Run ${run.runId} ${run.state}: ` + Object.entries(run.streams || {})
      .map(([s, p]) => `${s} ${p.records}${p.totalCount ? '/' + p.totalCount : ''} records, ${p.pages} pages`).join('; ');
    await new Promise(done => setTimeout(done, 500));
  }
  $('live-run').textContent = '';
  await openInstances(name);
}

async function openDetail(name) {
  $('detail').hidden = false;
  $('detail-title').textContent = name;
  const h = (await api('GET', `/instances/${encodeURIComponent(name)}/runs`)).body;
  const sum = (run, key) => Object.values(run.streams).reduce((n, s) => n + s[key], 0);
  $('history-rows').innerHTML = h.runs.slice().reverse().map(run => `<tr class="run ${esc(run.state)}"><td>${esc(run.runId)}</td>
    <td class="run-state">${esc(run.state)}</td><td>${esc(run.startedAt)}</td><td class="read">${sum(run, 'read')}</td>
    <td class="written">${sum(run, 'written')}</td><td>${sum(run, 'rejected')}</td><td>${sum(run, 'pages')}</td>
    <td>${run.error ? esc(run.error.kind + ': ' + run.error.message) : ''}</td></tr>`).join('');
}

function esc(v) {
  return String(v).replace(/[&<>"']/g, ch => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[ch]));
}
