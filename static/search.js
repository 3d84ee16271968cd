// Search on the search page, with the Pagefind index the build writes under pagefind/.
// Loaded only there, as a module from the site itself. Results are built with DOM
// calls (never innerHTML), so no text of a check can become markup. The form still
// works without this script: it reloads the page with ?q=..., and the page lists the
// checks to browse instead.
const form = document.getElementById("search-form");
const input = form.elements.q;
const verdictSelect = form.elements.verdict;
const tagSelect = form.elements.tag || null;
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const bundle = form.dataset.bundle;
const base = form.dataset.base;
const SHOWN = 20;
// The words, in the page's language: search.html writes them from the catalogs, with {name} slots.
const words = form.dataset;
const say = (text, values) => text.replace(/\{(\w+)\}/g, (slot, name) => values[name]);
const plural = new Intl.PluralRules(document.documentElement.lang || "en");
const number = (n) => n.toLocaleString(document.documentElement.lang || "en");

const verdicts = new Map();
for (const option of verdictSelect.options) {
  if (option.value) {
    verdicts.set(option.value, { label: option.textContent, tone: option.dataset.tone, href: option.dataset.href });
  }
}

let pagefind = null;
async function engine() {
  if (!pagefind) {
    const loaded = await import(bundle + "pagefind.js");
    await loaded.options({ baseUrl: base, bundlePath: bundle, excerptLength: 24 });
    pagefind = loaded;
  }
  return pagefind;
}

function chosen() {
  const filters = {};
  if (verdictSelect.value) filters.verdict = verdictSelect.value;
  if (tagSelect && tagSelect.value) filters.tag = tagSelect.value;
  return filters;
}

function remember(term, filters) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  const query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  return query;
}

// Pagefind's excerpt is HTML: <mark> around the words found, the rest text. Keep only that.
function excerpt(html) {
  const paragraph = document.createElement("p");
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(document.createTextNode(node.textContent));
    }
  }
  return paragraph;
}

function item(result) {
  const li = document.createElement("li");
  li.className = "claim-card";
  const verdict = verdicts.get((result.filters.verdict || [])[0]);
  if (verdict) {
    const label = document.createElement("a");
    label.className = "verdict tone-" + verdict.tone;
    label.href = verdict.href;
    label.textContent = verdict.label;
    li.append(label);
  }
  // as the listings show a check: the claim beside its rating, who made it and when, the headline second
  const link = document.createElement("a");
  link.href = result.url;
  const headline = result.meta.title && result.meta.title !== result.meta.claim ? result.meta.title : null;
  const heading = document.createElement("h3");
  link.textContent = headline || result.meta.claim || result.url;
  heading.append(link);
  if (headline) {
    if (result.meta.claim) li.append(paragraph("card-claim", result.meta.claim));
  } else {
    heading.className = "card-claim";
    li.append(heading);
  }
  if (result.meta.claimant) {
    li.append(paragraph("claim-meta", say(words.claimBy, { name: result.meta.claimant }) + (result.meta.claim_date ? words.comma + result.meta.claim_date : "")));
  }
  if (headline) li.append(heading);
  if (result.meta.published) li.append(paragraph("check-meta", say(words.published, { date: result.meta.published })));
  if (result.excerpt) li.append(excerpt(result.excerpt));
  return li;
}

function paragraph(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

let latest = 0;
async function run() {
  const term = input.value.trim();
  const filters = chosen();
  const query = remember(term, filters);
  const mine = ++latest;
  delete list.dataset.query;
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = words.searching;
  let found;
  try {
    const search = await (await engine()).search(term || null, { filters });
    if (mine !== latest || !search) return;
    found = search.results;
    const data = await Promise.all(found.slice(0, SHOWN).map((result) => result.data()));
    if (mine !== latest) return;
    list.replaceChildren(...data.map(item));
  } catch (error) {
    if (mine !== latest) return;
    list.replaceChildren();
    status.textContent = words.unavailable;
    return;
  }
  const count = found.length;
  const what = say(plural.select(count) === "one" ? words.foundOne : words.foundOther, { num: number(count) });
  status.textContent = count === 0 ? words.none : count > SHOWN ? say(words.showing, { found: what, num: number(SHOWN) }) : say(words.sentence, { sentence: what });
  list.dataset.query = query; // what the list shows: lets tests (and scripts) wait for it
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(run, 200);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
input.addEventListener("input", soon);
verdictSelect.addEventListener("change", run);
if (tagSelect) tagSelect.addEventListener("change", run);

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
if (params.get("verdict")) verdictSelect.value = params.get("verdict");
if (tagSelect && params.get("tag")) tagSelect.value = params.get("tag");
if (input.value || verdictSelect.value || (tagSelect && tagSelect.value)) run();
