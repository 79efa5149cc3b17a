// CSP check in a real browser: Debian's Chromium driven over the DevTools protocol (no
// Playwright needed). Signs in as three demo roles, visits every back-office page linked from
// the home page plus the main detail pages, and prints the CSP violations and JS errors seen,
// then checks the behaviours static/js/tet.js carries (delete confirmation, "with selected"
// actions, filters, confirmation on the plan tree).
//
//   flask --app app run --port 5077          (demo data: flask --app app seed --demo)
//   chromium --headless=new --no-sandbox --remote-debugging-port=9333 \
//            --user-data-dir=$(mktemp -d) about:blank
//   node --experimental-websocket bench/csp_chromium.mjs
//
// BASE and DEVTOOLS environment variables override the two addresses.
const BASE = process.env.BASE || "http://127.0.0.1:5077";
const DEVTOOLS = process.env.DEVTOOLS || "http://127.0.0.1:9333";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const target = await (await fetch(`${DEVTOOLS}/json/new?about:blank`, { method: "PUT" })).json();
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r));
let seq = 0; const pending = new Map(); const listeners = [];
const problems = [];
ws.addEventListener("message", (ev) => {
  const msg = JSON.parse(ev.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); return; }
  if (msg.method === "Runtime.exceptionThrown") problems.push(["exception", current, msg.params.exceptionDetails.exception?.description || msg.params.exceptionDetails.text]);
  if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error") problems.push(["log", current, msg.params.entry.text]);
  for (const l of listeners) l(msg);
});
const send = (method, params = {}) => new Promise((r) => { const id = ++seq; pending.set(id, r); ws.send(JSON.stringify({ id, method, params })); });
const evaluate = async (expr) => (await send("Runtime.evaluate", { expression: expr, returnByValue: true, awaitPromise: true })).result?.result?.value;
const loaded = () => new Promise((r) => { const l = (m) => { if (m.method === "Page.loadEventFired") { listeners.splice(listeners.indexOf(l), 1); r(); } }; listeners.push(l); });
let current = "";
async function go(url) { current = url; const p = loaded(); await send("Page.navigate", { url: BASE + url }); await p; await sleep(150); }
async function csp() { return (await evaluate("JSON.stringify(window.__csp || [])")) || "[]"; }
await send("Page.enable"); await send("Runtime.enable"); await send("Log.enable");
await send("Page.addScriptToEvaluateOnNewDocument", { source: "window.__csp=[];document.addEventListener('securitypolicyviolation',e=>window.__csp.push(e.violatedDirective+' '+e.blockedURI+' '+e.sourceFile+':'+e.lineNumber+' '+e.sample));" });

async function login(email) {
  await send("Network.clearBrowserCookies");
  await go("/connexion");
  const p = loaded();
  await evaluate(`document.querySelector('#email').value='${email}';document.querySelector('#password').value='tet-demo';document.querySelector('form').submit();`);
  await p; await sleep(150);
}
const report = {};
for (const email of ["support@tet.test", "admin.cc@tet.test", "opsn.admin@tet.test"]) {
  await login(email);
  await go("/admin/");
  let links = JSON.parse(await evaluate("JSON.stringify([...new Set([...document.querySelectorAll('a[href^=\"/admin\"]')].map(a=>a.getAttribute('href')))])"));
  links = links.filter((h) => !/export|\.xlsx|\.csv|modele|template/.test(h));
  const extra = ["/admin/plan/1/arbre", "/admin/plan/1/calendrier", "/admin/plan/1/tableau-de-bord", "/admin/fiche/1", "/admin/indicateur/1", "/admin/user/edit/?id=2", "/admin/membership/new/", "/admin/fiche/new/", "/admin/plan/new/", "/connexion", "/mot-de-passe-oublie", "/inscription"];
  let visited = 0; const violations = [];
  for (const url of [...new Set([...links, ...extra])]) {
    await go(url); visited++;
    const v = JSON.parse(await csp()); if (v.length) violations.push([url, v]);
    const inline = await evaluate("document.querySelectorAll('[onclick],[onsubmit],[onchange]').length");
    if (inline) violations.push([url, `${inline} on*= attribute(s) left after tet.js`]);
  }
  report[email] = { visited, violations };
}
// behaviours, as admin.cc
await login("admin.cc@tet.test");
await go("/admin/fiche/");
const checks = {};
checks.deleteConfirm = await evaluate("!!document.querySelector('form.icon[data-confirm]')");
checks.actions = await evaluate("document.querySelectorAll('a[data-action]').length");
const before = await evaluate("document.querySelectorAll('input.action-checkbox').length");
await evaluate("window.confirm=()=>false; document.querySelector('form.icon[data-confirm] button').click(); true");
await sleep(800);
checks.cancelledDeleteStays = (await evaluate("location.pathname")) === "/admin/fiche/" && before === await evaluate("document.querySelectorAll('input.action-checkbox').length");
await evaluate("document.querySelector('a.filter') && document.querySelector('a.filter').click(); true");
await sleep(300);
checks.filterRowAdded = await evaluate("document.querySelectorAll('.filters tr, table.filters tr').length");
checks.urlAfterFilter = await evaluate("location.href");
// "with selected" action with nothing selected -> flask-admin alert
await evaluate("window.__alerts=[]; window.alert=(m)=>window.__alerts.push(m); document.querySelector('a[data-action]').click(); true");
checks.actionAlert = await evaluate("JSON.stringify(window.__alerts)");
// autosubmit select (opsn.admin or support may have several contextes)
await login("support@tet.test");
await go("/admin/");
checks.autosubmitSelect = await evaluate("!!document.querySelector('select[data-autosubmit]')");
if (checks.autosubmitSelect) {
  const p = loaded();
  await evaluate("const s=document.querySelector('select[data-autosubmit]'); s.selectedIndex=(s.selectedIndex+1)%s.options.length; s.dispatchEvent(new Event('change',{bubbles:true})); true");
  await Promise.race([p, sleep(3000)]);
  checks.afterSwitch = await evaluate("document.querySelector('.alert') && document.querySelector('.alert').innerText");
}
// plan tree: drag library loaded; confirm on axe delete (on the axe's page, « Renommer, déplacer… »)
await go("/admin/plan/1/arbre");
checks.sortableLoaded = await evaluate("typeof Sortable");
await go(await evaluate("document.querySelector('.tet-axe-tools a:last-child').getAttribute('href')"));
checks.axeConfirm = await evaluate("document.querySelectorAll('form[data-confirm]').length");
const p2 = loaded();
await evaluate("window.confirm=()=>true; window.print=()=>{}; document.querySelector('form[data-confirm] button, form[data-confirm] [type=submit]').click(); true");
await Promise.race([p2, sleep(3000)]);
checks.axeDeletedAfterOk = await evaluate("document.querySelector('.alert') && document.querySelector('.alert').innerText");
console.log(JSON.stringify({ report, checks, problems }, null, 1));
ws.close();
