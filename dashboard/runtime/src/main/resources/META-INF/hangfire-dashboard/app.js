// The Hangfire dashboard: a hash-routed single page over the JSON API next to it (api/...).
// Every value from the API reaches the page through textContent or createTextNode, never as markup,
// and every URL is relative, so the dashboard works under any configured path.

const STATES = ['ENQUEUED', 'SCHEDULED', 'AWAITING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'DELETED'];
const STATE_LABELS = {
    ENQUEUED: 'Enqueued', SCHEDULED: 'Scheduled', AWAITING: 'Awaiting', PROCESSING: 'Processing',
    SUCCEEDED: 'Succeeded', FAILED: 'Failed', DELETED: 'Deleted',
};
// Bulk actions each list offers; every one is guarded by the list's state.
const BULK_ACTIONS = {
    ENQUEUED: ['delete'],
    SCHEDULED: ['enqueue-now', 'delete'],
    AWAITING: ['enqueue-now', 'delete'],
    PROCESSING: ['requeue', 'delete'],
    SUCCEEDED: ['requeue'],
    FAILED: ['requeue', 'delete'],
    DELETED: ['requeue'],
};
const ACTION_LABELS = { 'requeue': 'Requeue', 'delete': 'Delete', 'enqueue-now': 'Enqueue now' };
const PAGE_SIZES = [20, 50, 100];
const REFRESH_MS = 5000;
const STATS_POLL_MS = 2000;
const LIVE_WINDOW_MS = 120000;

let me = { user: null, readOnly: true, jobNames: [], queues: [], csrfHeader: 'X-Hangfire-CSRF', csrfCookie: 'hangfire-csrf' };
let page = null; // the page on screen: { refresh(), destroy() }
let lastStats = null;

// ---------- DOM helpers ----------

/** Creates an element; props: class, text, title, href, and on<Event> handlers; children: nodes or strings. */
function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
        if (value === undefined || value === null || value === false) {
            continue;
        }
        if (key === 'class') {
            node.className = value;
        } else if (key === 'text') {
            node.textContent = String(value);
        } else if (key.startsWith('on')) {
            node.addEventListener(key.substring(2).toLowerCase(), value);
        } else if (key in node && typeof node[key] !== 'function' && key !== 'list') {
            node[key] = value;
        } else {
            node.setAttribute(key, value === true ? '' : String(value));
        }
    }
    append(node, children);
    return node;
}

function append(node, children) {
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
}

function clear(node) {
    while (node.firstChild) {
        node.removeChild(node.firstChild);
    }
    return node;
}

function stateBadge(state) {
    const name = state ? String(state) : 'UNKNOWN';
    return el('span', { class: 'badge state state-' + name.toLowerCase(), text: STATE_LABELS[name] || name });
}

function jobLink(id, label) {
    return el('a', { href: '#/jobs/' + encodeURIComponent(id), class: 'job-link', text: label ?? ('#' + id) });
}

function emptyRow(columns, message) {
    return el('tr', { class: 'empty' }, el('td', { colSpan: columns, text: message }));
}

/** Gives each body cell its column's header as data-label, which the stacked phone layout shows. */
function labelCells(table) {
    const labels = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    for (const tr of table.tBodies[0].rows) {
        [...tr.cells].forEach((td, index) => {
            if (labels[index]) {
                td.dataset.label = labels[index];
            }
            // one box beside the label, however many nodes the cell has
            if (td.childNodes.length > 1) {
                td.append(el('span', null, ...td.childNodes));
            }
        });
    }
}

function section(title, ...content) {
    return el('section', { class: 'card' }, el('h2', { text: title }), ...content);
}

/**
 * The mark after a text the API cut (its truncated map names the field, with the stored length), or null.
 * The dashboard never receives more than a few KiB of any stored text.
 */
function cutMark(truncated, field) {
    if (!truncated || !(field in truncated)) {
        return null;
    }
    const length = truncated[field];
    return el('span', {
        class: 'cut-mark', 'data-cut': field,
        text: '… (cut' + (length === null || length === undefined ? '' : ', ' + Number(length).toLocaleString() + ' characters') + ')',
        title: 'The dashboard shows only the start of long stored texts',
    });
}

/** A text and, when it was cut, its mark. */
function withCut(text, truncated, field) {
    const mark = cutMark(truncated, field);
    return mark ? el('span', null, text ?? '', mark) : text;
}

function keyValueTable(entries, emptyText) {
    if (entries.length === 0) {
        return el('p', { class: 'muted', text: emptyText });
    }
    return el('div', { class: 'table-wrap' }, el('table', { class: 'kv' },
        el('tbody', null, entries.map(([key, value]) => el('tr', null,
            el('th', { scope: 'row', text: key }),
            el('td', null, value instanceof Node ? value : el('code', { class: 'value', text: value })))))));
}

// ---------- time ----------

function parseTime(value) {
    if (!value) {
        return null;
    }
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : time;
}

function exactTime(value) {
    const time = parseTime(value);
    return time === null ? '' : new Date(time).toLocaleString();
}

function relativeTime(value) {
    const time = parseTime(value);
    if (time === null) {
        return '–';
    }
    const seconds = Math.round((time - Date.now()) / 1000);
    const span = humanSpan(Math.abs(seconds));
    if (Math.abs(seconds) < 5) {
        return 'just now';
    }
    return seconds < 0 ? span + ' ago' : 'in ' + span;
}

function humanSpan(seconds) {
    if (seconds < 60) {
        return seconds + ' s';
    }
    if (seconds < 3570) {
        return Math.round(seconds / 60) + ' min';
    }
    if (seconds < 84600) {
        return Math.round(seconds / 3600) + ' h';
    }
    return Math.round(seconds / 86400) + ' d';
}

function duration(ms) {
    if (ms < 1000) {
        return ms + ' ms';
    }
    if (ms < 60000) {
        return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
    }
    return humanSpan(Math.round(ms / 1000));
}

/** Brings the relative times on the page up to date. */
function refreshTimes() {
    for (const node of document.querySelectorAll('time[datetime]')) {
        node.textContent = relativeTime(node.dateTime);
    }
}

/** A time shown relative to now, the exact time in its title. */
function timeCell(value) {
    const node = el('time', { text: relativeTime(value), title: exactTime(value) });
    if (value) {
        node.dateTime = value;
    }
    return node;
}

// ---------- API ----------

class ApiError extends Error {
    constructor(status, body) {
        super((body && body.error) || ('HTTP ' + status));
        this.status = status;
        this.body = body || {};
    }
}

async function readJson(response) {
    const text = await response.text();
    if (!text) {
        return null;
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        return { error: text.substring(0, 200) };
    }
}

async function get(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = await readJson(response);
    if (!response.ok) {
        throw new ApiError(response.status, body);
    }
    return body;
}

function cookie(name) {
    for (const part of document.cookie.split(';')) {
        const index = part.indexOf('=');
        if (index > 0 && part.substring(0, index).trim() === name) {
            return decodeURIComponent(part.substring(index + 1).trim());
        }
    }
    return '';
}

async function post(path, body) {
    const send = () => fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
            'Accept': 'application/json',
            'Content-Type': 'application/json',
            [me.csrfHeader]: cookie(me.csrfCookie),
        },
        body: JSON.stringify(body || {}),
    });
    let response = await send();
    let result = await readJson(response);
    if (response.status === 403 && response.headers.get(me.csrfHeader) === 'refused') {
        // The token expired (it lives 12 hours) or the server restarted with a new key. The refusal changed
        // nothing, so fetch a new token (api/me sets the cookie) and send the action once more.
        await get('api/me');
        response = await send();
        result = await readJson(response);
    }
    if (!response.ok) {
        throw new ApiError(response.status, result);
    }
    return result;
}

function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
        if (value !== undefined && value !== null && value !== '') {
            search.set(key, String(value));
        }
    }
    return search.toString();
}

// ---------- toasts ----------

function toast(message, kind) {
    const box = document.getElementById('toasts');
    const item = el('div', { class: 'toast toast-' + (kind || 'info'), text: message });
    box.append(item);
    setTimeout(() => item.remove(), kind === 'error' ? 9000 : 5000);
}

function reportError(error) {
    if (error instanceof ApiError) {
        toast(error.status + ': ' + error.message, 'error');
    } else {
        toast(String(error && error.message ? error.message : error), 'error');
    }
}

// ---------- header ----------

function updateHeader() {
    document.getElementById('user-name').textContent = me.user || '';
    document.getElementById('readonly-badge').hidden = !me.readOnly;
    document.body.classList.toggle('read-only', !!me.readOnly);
}

function updateNavCounts(stats) {
    setCount('nav-count-failed', stats.states.FAILED, 'failed jobs');
    setCount('nav-count-retries', stats.retries, 'retries', stats.retriesCapped);
}

// a capped count (the server stops counting at a cap) shows as "10000+"
function setCount(id, value, what, capped) {
    const node = document.getElementById(id);
    const shown = value ? String(value) + (capped ? '+' : '') : '';
    node.hidden = !value;
    node.textContent = shown;
    node.title = value ? shown + ' ' + what : '';
}

function markNav(name) {
    for (const link of document.querySelectorAll('.main-nav a')) {
        const current = link.dataset.nav === name;
        link.classList.toggle('active', current);
        if (current) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.removeAttribute('aria-current');
        }
    }
}

async function loadStats() {
    lastStats = await get('api/stats');
    updateNavCounts(lastStats);
    return lastStats;
}

// ---------- refresh loop ----------

/** Calls task now and every ms, skipping a round while the last one runs or the tab is hidden. */
function every(ms, task) {
    let running = false;
    let stopped = false;
    const tick = async () => {
        if (running || stopped || document.hidden) {
            return;
        }
        running = true;
        try {
            await task();
        } catch (error) {
            if (!stopped) {
                reportError(error);
            }
        } finally {
            running = false;
        }
    };
    const timer = setInterval(tick, ms);
    return { stop() { stopped = true; clearInterval(timer); }, now: tick };
}

// ---------- overview ----------

const TILES = [
    ...STATES.map((state) => ({ key: state, label: STATE_LABELS[state], href: '#/jobs/' + state.toLowerCase(), value: (s) => s.states[state] })),
    { key: 'RETRIES', label: 'Retries', href: '#/retries', value: (s) => (s.retriesCapped ? s.retries.toLocaleString() + '+' : s.retries) },
    { key: 'RECURRING', label: 'Recurring', href: '#/recurring', value: (s) => s.recurring },
    { key: 'SERVERS', label: 'Servers', href: '#/servers', value: (s) => s.servers },
];

const COLORS = { succeeded: '#2e7d32', failed: '#c62828', deleted: '#6b7280' };

/** A line chart; points are numbers (category x axis) or {x, y} with xAxis = a linear time axis. */
function lineChart(canvas, labels, datasets, xAxis) {
    if (!window.Chart) {
        return null;
    }
    return new window.Chart(canvas, {
        type: 'line',
        data: {
            labels,
            datasets: datasets.map((d) => ({
                label: d.label, data: d.data, borderColor: d.color, backgroundColor: d.color + '26',
                fill: true, tension: 0.25, pointRadius: 0, pointHitRadius: 6, borderWidth: 2,
            })),
        },
        options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            scales: {
                x: xAxis || { ticks: { maxTicksLimit: 8, maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
                y: { beginAtZero: true, suggestedMax: 1, ticks: { precision: 0 } },
            },
            plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        },
    });
}

function chartBox(title, canvasLabel, note) {
    const canvas = el('canvas', { role: 'img', 'aria-label': canvasLabel });
    const box = el('section', { class: 'card chart-card' },
        el('h2', { text: title }),
        note ? el('p', { class: 'muted small', text: note }) : null,
        el('div', { class: 'chart' }, canvas));
    return { box, canvas };
}

function overviewPage(root) {
    markNav('overview');
    const tileValues = {};
    const tiles = el('div', { class: 'tiles' }, TILES.map((tile) => {
        const value = el('span', { class: 'tile-value', text: '–' });
        tileValues[tile.key] = value;
        return el('a', { class: 'tile tile-' + tile.key.toLowerCase(), href: tile.href, 'data-tile': tile.key },
            value, el('span', { class: 'tile-label', text: tile.label }));
    }));

    const live = chartBox('Realtime', 'Jobs succeeded and failed per second over the last two minutes', 'Jobs per second, last 2 minutes');
    const hours = chartBox('Last 24 hours', 'Jobs succeeded and failed per hour over the last 24 hours');
    const days = chartBox('Last 7 days', 'Jobs succeeded and failed per day over the last 7 days');
    append(clear(root), [
        el('h1', { text: 'Overview' }), tiles, live.box,
        el('div', { class: 'chart-grid' }, hours.box, days.box),
    ]);

    // the live chart's x axis is the sliding window itself, so it spans two minutes from the first poll
    const liveAxis = {
        type: 'linear', min: Date.now() - LIVE_WINDOW_MS, max: Date.now(), grid: { display: false },
        // a label every 30 s of the clock, not at the window's ragged ends
        afterBuildTicks: (axis) => {
            const ticks = [];
            for (let t = Math.ceil(axis.min / 30000) * 30000; t <= axis.max; t += 30000) {
                ticks.push({ value: t });
            }
            axis.ticks = ticks;
        },
        ticks: { autoSkipPadding: 16, maxRotation: 0, callback: (value) => new Date(value).toLocaleTimeString() },
    };
    const liveChart = lineChart(live.canvas, undefined, [
        { label: 'Succeeded', data: [], color: COLORS.succeeded },
        { label: 'Failed', data: [], color: COLORS.failed },
    ], liveAxis);
    let alive = true;
    let previous = null;
    const samples = []; // { at, succeeded, failed }: jobs per second between two polls, over the window

    const poll = every(STATS_POLL_MS, async () => {
        const stats = await loadStats();
        if (!alive) {
            return;
        }
        for (const tile of TILES) {
            const value = tile.value(stats);
            tileValues[tile.key].textContent = value === undefined || value === null ? '–' : value.toLocaleString();
        }
        const at = parseTime(stats.now) ?? Date.now();
        if (previous && at > previous.at) {
            const seconds = (at - previous.at) / 1000;
            samples.push({
                at,
                succeeded: Math.max(0, stats.totals.SUCCEEDED - previous.succeeded) / seconds,
                failed: Math.max(0, stats.totals.FAILED - previous.failed) / seconds,
            });
        }
        previous = { at, succeeded: stats.totals.SUCCEEDED, failed: stats.totals.FAILED };
        while (samples.length && samples[0].at < at - LIVE_WINDOW_MS) {
            samples.shift();
        }
        if (liveChart) {
            liveChart.options.scales.x.min = at - LIVE_WINDOW_MS;
            liveChart.options.scales.x.max = at;
            liveChart.data.datasets[0].data = samples.map((s) => ({ x: s.at, y: round2(s.succeeded) }));
            liveChart.data.datasets[1].data = samples.map((s) => ({ x: s.at, y: round2(s.failed) }));
            liveChart.update('none');
        }
    });

    const historyCharts = {};
    const loadHistory = async (unit, canvas) => {
        const history = await get('api/history?' + query({ unit }));
        if (!alive) {
            return;
        }
        const labels = history.points.map((p) => unit === 'HOURS'
            ? new Date(parseTime(p.start)).toLocaleTimeString([], { hour: 'numeric' })
            : new Date(parseTime(p.start)).toLocaleDateString([], { weekday: 'short', day: 'numeric' }));
        const succeeded = history.points.map((p) => p.SUCCEEDED || 0);
        const failed = history.points.map((p) => p.FAILED || 0);
        const chart = historyCharts[unit];
        if (chart) {
            chart.data.labels = labels;
            chart.data.datasets[0].data = succeeded;
            chart.data.datasets[1].data = failed;
            chart.update('none');
        } else {
            historyCharts[unit] = lineChart(canvas, labels, [
                { label: 'Succeeded', data: succeeded, color: COLORS.succeeded },
                { label: 'Failed', data: failed, color: COLORS.failed },
            ]);
        }
    };
    const history = every(60000, () => Promise.all([loadHistory('HOURS', hours.canvas), loadHistory('DAYS', days.canvas)]));
    poll.now();
    history.now();

    return {
        destroy() {
            alive = false;
            poll.stop();
            history.stop();
            liveChart?.destroy();
            Object.values(historyCharts).forEach((c) => c?.destroy());
        },
    };
}

function round2(value) {
    return Math.round(value * 100) / 100;
}

// ---------- lists with paging and selection ----------

const listSettings = {}; // per list: { offset, limit, name, queue, text }

function settingsFor(key) {
    if (!listSettings[key]) {
        const stored = Number(localStorage.getItem('hangfire.pageSize'));
        listSettings[key] = { offset: 0, limit: PAGE_SIZES.includes(stored) ? stored : PAGE_SIZES[0], name: '', queue: '', text: '' };
    }
    return listSettings[key];
}

/**
 * A paged table of jobs with selection and bulk actions.
 * spec: { key, endpoint, filters, columns (header labels), row(job) -> cells, actions: [{ label, run(ids) }] }
 */
function jobTable(spec) {
    const settings = settingsFor(spec.key);
    const selected = new Set();
    let rows = [];
    let total = 0;
    let totalCapped = false;
    let maxOffset = Infinity;

    const tbody = el('tbody');
    const selectAll = el('input', { type: 'checkbox', 'aria-label': 'Select all jobs on this page', class: 'select-all' });
    const rangeText = el('span', { class: 'range' });
    const prev = el('button', { type: 'button', class: 'btn', text: '‹ Prev' });
    const next = el('button', { type: 'button', class: 'btn', text: 'Next ›' });
    const sizeSelect = el('select', { 'aria-label': 'Jobs per page', class: 'page-size' },
        PAGE_SIZES.map((size) => el('option', { value: String(size), text: size + ' per page', selected: size === settings.limit })));
    const selectionText = el('span', { class: 'selection-count muted' });

    const actionButtons = me.readOnly ? [] : spec.actions.map((action) => el('button', {
        type: 'button', class: 'btn action' + (action.danger ? ' btn-danger' : ''), text: action.label, disabled: true,
        'data-action': action.name,
        onclick: async (event) => {
            const ids = [...selected];
            if (ids.length === 0) {
                return;
            }
            event.currentTarget.disabled = true;
            try {
                const result = await action.run(ids);
                toast(result, 'success');
            } catch (error) {
                reportError(error);
            }
            selected.clear();
            await reload();
        },
    }));

    const filters = spec.filters ? filterBar(settings, () => { settings.offset = 0; reload(); }) : null;
    const toolbar = el('div', { class: 'toolbar' },
        actionButtons.length ? el('div', { class: 'bulk' }, actionButtons, selectionText) : null,
        el('div', { class: 'pager' }, rangeText, prev, next, sizeSelect));

    const table = el('table', { class: 'jobs stack' },
        el('thead', null, el('tr', null,
            actionButtons.length ? el('th', { class: 'check' }, selectAll) : null,
            spec.columns.map((label) => el('th', { scope: 'col', text: label })))),
        tbody);
    const searchNote = el('p', { class: 'search-note muted small', hidden: true, role: 'status' });
    const view = el('div', { class: 'job-table' }, filters, searchNote, toolbar, el('div', { class: 'table-wrap' }, table));

    function showSearchNote(text, isError) {
        searchNote.hidden = !text;
        searchNote.textContent = text || '';
        searchNote.classList.toggle('search-error', !!isError);
    }

    function syncSelection() {
        for (const button of actionButtons) {
            button.disabled = selected.size === 0;
        }
        selectionText.textContent = selected.size ? selected.size + ' selected' : '';
        const onPage = rows.filter((job) => selected.has(job.id)).length;
        selectAll.checked = rows.length > 0 && onPage === rows.length;
        selectAll.indeterminate = onPage > 0 && onPage < rows.length;
    }

    selectAll.addEventListener('change', () => {
        for (const job of rows) {
            if (selectAll.checked) {
                selected.add(job.id);
            } else {
                selected.delete(job.id);
            }
        }
        for (const box of tbody.querySelectorAll('input.select-row')) {
            box.checked = selectAll.checked;
        }
        syncSelection();
    });
    prev.addEventListener('click', () => { settings.offset = Math.max(0, settings.offset - settings.limit); reload(); });
    next.addEventListener('click', () => { settings.offset += settings.limit; reload(); });
    sizeSelect.addEventListener('change', () => {
        settings.limit = Number(sizeSelect.value);
        settings.offset = 0;
        localStorage.setItem('hangfire.pageSize', String(settings.limit));
        reload();
    });

    function render() {
        clear(tbody);
        const columns = spec.columns.length + (actionButtons.length ? 1 : 0);
        if (rows.length === 0) {
            tbody.append(emptyRow(columns, spec.emptyText || 'No jobs.'));
        }
        for (const job of rows) {
            const box = el('input', { type: 'checkbox', class: 'select-row', 'aria-label': 'Select job ' + job.id, checked: selected.has(job.id) });
            box.addEventListener('change', () => {
                if (box.checked) {
                    selected.add(job.id);
                } else {
                    selected.delete(job.id);
                }
                syncSelection();
            });
            tbody.append(el('tr', { 'data-job-id': job.id },
                actionButtons.length ? el('td', { class: 'check' }, box) : null,
                spec.row(job).map((cell) => el('td', { class: cell.class || null }, cell.content ?? cell))));
        }
        const first = total === 0 ? 0 : settings.offset + 1;
        const last = settings.offset + rows.length;
        rangeText.textContent = first + '–' + last + ' of ' + total.toLocaleString() + (totalCapped ? '+' : '');
        prev.disabled = settings.offset === 0;
        // pages stop at maxOffset: a page far down a long list would cost what the table holds
        next.disabled = (last >= total && !totalCapped) || settings.offset + settings.limit > maxOffset;
        labelCells(table);
        syncSelection();
    }

    // one load at a time: the refresh loop, a filter change and an action all reload, and a second search of the
    // same user while one runs is refused (429)
    let loading = Promise.resolve();
    function reload() {
        const next = loading.then(load, load);
        loading = next.catch(() => {});
        return next;
    }

    async function load() {
        const params = { offset: settings.offset, limit: settings.limit };
        if (spec.filters) {
            Object.assign(params, { name: settings.name, queue: settings.queue, text: settings.text });
        }
        let pageData;
        try {
            pageData = await get(spec.endpoint(params));
        } catch (error) {
            // a refused or stopped search says why beside the search box; the rows shown before stay
            if (params.text && error instanceof ApiError && [400, 429, 503].includes(error.status)) {
                showSearchNote(error.message, true);
                return;
            }
            throw error;
        }
        showSearchNote(listNote(pageData, settings), false);
        // a page past the end (jobs left the list meanwhile): go back to the last page that has jobs
        if (pageData.jobs.length === 0 && pageData.total > 0 && settings.offset > 0) {
            settings.offset = Math.floor((pageData.total - 1) / settings.limit) * settings.limit;
            return load();
        }
        rows = pageData.jobs;
        total = pageData.total;
        totalCapped = !!pageData.totalCapped;
        maxOffset = pageData.maxOffset ?? Infinity;
        render();
    }

    return { view, reload, hasSelection: () => selected.size > 0 };
}

/** What a job list left out, said beside its filters: older jobs outside a search's or a filter's window, pages past the last. */
function listNote(pageData, settings) {
    if (pageData.search && pageData.search.olderNotSearched) {
        return 'Searched the newest ' + pageData.search.window.toLocaleString() + ' jobs of this list only; older ones were not searched.';
    }
    if (pageData.window && pageData.window.olderLeftOut) {
        return 'Filtered the newest ' + pageData.window.newest.toLocaleString() + ' jobs of this list only; older ones are not shown.';
    }
    if (settings.offset + settings.limit > pageData.maxOffset && (pageData.totalCapped || pageData.total > settings.offset + settings.limit)) {
        return 'Pages stop after job ' + pageData.maxOffset.toLocaleString() + '; narrow the list to see older jobs.';
    }
    return '';
}

function filterBar(settings, onChange) {
    const nameSelect = el('select', { 'aria-label': 'Job name', class: 'filter-name' },
        el('option', { value: '', text: 'All jobs' }),
        me.jobNames.map((name) => el('option', { value: name, text: name, selected: name === settings.name })));
    const queueSelect = el('select', { 'aria-label': 'Queue', class: 'filter-queue' },
        el('option', { value: '', text: 'All queues' }),
        me.queues.map((queue) => el('option', { value: queue, text: queue, selected: queue === settings.queue })));
    const text = el('input', {
        type: 'search', placeholder: 'Search arguments, reason, exception', 'aria-label': 'Search', class: 'filter-text',
        value: settings.text,
    });
    let timer = null;
    nameSelect.addEventListener('change', () => { settings.name = nameSelect.value; onChange(); });
    queueSelect.addEventListener('change', () => { settings.queue = queueSelect.value; onChange(); });
    text.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
            if (settings.text !== text.value.trim()) {
                settings.text = text.value.trim();
                onChange();
            }
        }, 350);
    });
    return el('div', { class: 'filters' }, nameSelect, queueSelect, text);
}

function bulkResultText(result) {
    const changed = (result.changed || []).length;
    const skipped = (result.skipped || []).length;
    return changed + ' changed, ' + skipped + ' skipped';
}

function truncated(text, max) {
    const value = text == null ? '' : String(text);
    return value.length > max ? value.substring(0, max - 1) + '…' : value;
}

/** A cell that shows the start of a long text; the whole text in its title. */
function shortCell(text, max, cls) {
    return { class: cls, content: el('span', { text: truncated(text, max), title: text == null ? '' : String(text) }) };
}

// ---------- jobs by state ----------

function stateNav(current) {
    const counts = lastStats ? lastStats.states : {};
    return el('nav', { class: 'state-nav', 'aria-label': 'Job states' }, STATES.map((state) => el('a', {
        href: '#/jobs/' + state.toLowerCase(),
        class: 'state-link state-link-' + state.toLowerCase() + (state === current ? ' active' : ''),
        'aria-current': state === current ? 'page' : null,
    }, el('span', { text: STATE_LABELS[state] }), el('span', { class: 'count', 'data-state-count': state, text: counts[state] ?? '' }))));
}

function refreshStateCounts(root) {
    for (const node of root.querySelectorAll('[data-state-count]')) {
        const value = lastStats.states[node.dataset.stateCount];
        node.textContent = value === undefined ? '' : value.toLocaleString();
    }
}

function jobsPage(root, state) {
    markNav('jobs');
    const timeHeader = state === 'SCHEDULED' ? 'Enqueue at' : (state === 'AWAITING' ? 'Created' : 'When');
    const table = jobTable({
        key: 'state:' + state,
        filters: true,
        endpoint: (params) => 'api/jobs?' + query({ state, ...params }),
        columns: ['Id', 'Job', 'Queue', 'Arguments', 'Reason', timeHeader],
        emptyText: 'No ' + STATE_LABELS[state].toLowerCase() + ' jobs.',
        row: (job) => [
            jobLink(job.id),
            { class: 'job-name', content: job.jobName },
            { class: 'queue', content: job.queue },
            shortCell(job.arguments, 60, 'args'),
            shortCell(job.stateReason, 120, 'reason'),
            timeCell(state === 'SCHEDULED' ? (job.scheduledAt || job.stateChangedAt) : (state === 'AWAITING' ? job.createdAt : job.stateChangedAt)),
        ],
        actions: BULK_ACTIONS[state].map((name) => ({
            name,
            label: ACTION_LABELS[name],
            danger: name === 'delete',
            run: async (ids) => bulkResultText(await post('api/jobs/' + name, { ids, expectedState: state })),
        })),
    });
    append(clear(root), [
        el('h1', { text: STATE_LABELS[state] + ' jobs' }),
        el('div', { class: 'with-side' }, stateNav(state), el('div', { class: 'main-col' }, table.view)),
    ]);
    return refreshingPage(async () => {
        await Promise.all([loadStats().then(() => refreshStateCounts(root)), table.reload()]);
    }, table.hasSelection);
}

/** A page that reloads itself every few seconds, except while the user has selected rows. */
function refreshingPage(load, hasSelection) {
    let first = true;
    const loop = every(REFRESH_MS, async () => {
        if (!first && hasSelection && hasSelection()) {
            return;
        }
        first = false;
        await load();
    });
    loop.now();
    return { destroy: loop.stop, refresh: load };
}

// ---------- retries ----------

function retriesPage(root) {
    markNav('retries');
    const table = jobTable({
        key: 'retries',
        filters: false,
        endpoint: (params) => 'api/retries?' + query(params),
        columns: ['Id', 'Job', 'Queue', 'Attempt', 'Reason', 'Retry at'],
        emptyText: 'No jobs wait for a retry.',
        row: (job) => [
            jobLink(job.id),
            { class: 'job-name', content: job.jobName },
            { class: 'queue', content: job.queue },
            String(job.attempt),
            shortCell(job.stateReason, 100, 'reason'),
            timeCell(job.scheduledAt || job.stateChangedAt),
        ],
        actions: [
            { name: 'enqueue-now', label: 'Requeue now',
                run: async (ids) => bulkResultText(await post('api/jobs/enqueue-now', { ids, expectedState: 'SCHEDULED' })) },
            { name: 'delete', label: 'Delete', danger: true,
                run: async (ids) => bulkResultText(await post('api/jobs/delete', { ids, expectedState: 'SCHEDULED' })) },
        ],
    });
    append(clear(root), [
        el('h1', { text: 'Retries' }),
        el('p', { class: 'muted', text: 'Failed attempts scheduled for an automatic retry.' }),
        table.view,
    ]);
    return refreshingPage(table.reload, table.hasSelection);
}

// ---------- job details ----------

function jobPage(root, id) {
    markNav('jobs');
    let shown = null;

    async function act(action, expectedState) {
        try {
            await post('api/jobs/' + encodeURIComponent(id) + '/' + action, expectedState ? { expectedState } : {});
            toast(ACTION_LABELS[action] + ': done', 'success');
        } catch (error) {
            if (error instanceof ApiError && error.status === 409) {
                const now = error.body.state ? STATE_LABELS[error.body.state] || error.body.state : 'another state';
                toast('The job changed meanwhile (now ' + now + ')', 'error');
            } else {
                reportError(error);
            }
        }
        await load();
    }

    function actionsFor(job) {
        if (me.readOnly) {
            return null;
        }
        const names = [];
        if (job.state === 'SCHEDULED' || job.state === 'AWAITING') {
            names.push('enqueue-now');
        }
        if (job.state !== 'ENQUEUED' && job.state !== 'SCHEDULED' && job.state !== 'AWAITING') {
            names.push('requeue');
        }
        if (job.state !== 'DELETED' && job.state !== 'SUCCEEDED') {
            names.push('delete');
        }
        return el('div', { class: 'actions' }, names.map((name) => el('button', {
            type: 'button', class: 'btn action' + (name === 'delete' ? ' btn-danger' : ' btn-primary'), text: ACTION_LABELS[name],
            'data-action': name,
            onclick: (event) => { event.currentTarget.disabled = true; act(name, job.state); },
        })));
    }

    function render(job) {
        const header = el('section', { class: 'card job-header' },
            el('div', { class: 'job-title' },
                el('h1', null, el('span', { class: 'job-name', text: job.jobName }), el('span', { class: 'job-id muted', text: ' #' + job.id })),
                stateBadge(job.state)),
            el('dl', { class: 'facts' },
                fact('Id', job.id), fact('Queue', job.queue), fact('Attempt', job.attempt),
                fact('Created', timeCell(job.createdAt)),
                fact('State changed', timeCell(job.stateChangedAt)),
                job.scheduledAt ? fact('Scheduled for', timeCell(job.scheduledAt)) : null,
                job.expireAt ? fact('Expires', timeCell(job.expireAt)) : null,
                job.priority ? fact('Priority', job.priority) : null,
                job.uniqueKey ? fact('Unique key', el('span', { class: 'unique-key' }, job.uniqueKey, cutMark(job.truncated, 'uniqueKey'))) : null,
                job.deadline ? fact('Deadline', timeCell(job.deadline)) : null,
                job.batchId ? fact('Batch', batchLink(job.batchId)) : null),
            job.stateReason ? el('p', { class: 'state-reason' }, job.stateReason, cutMark(job.truncated, 'stateReason')) : null,
            actionsFor(job));

        const parts = [header];
        if (job.progress !== null && job.progress !== undefined) {
            parts.push(section('Progress', el('div', { class: 'progress-row' },
                el('progress', { max: 100, value: job.progress, 'aria-label': 'Progress' }),
                el('span', { class: 'progress-value', text: job.progress + ' %' }))));
        }
        if (job.exception) {
            parts.push(el('section', { class: 'card exception' },
                el('h2', { text: 'Exception' }),
                el('p', { class: 'exception-type', text: job.exception.type || '' }),
                el('p', { class: 'exception-message' }, job.exception.message || '', cutMark(job.exception.truncated, 'message')),
                job.exception.stackTrace ? el('pre', { class: 'stack-trace' }, job.exception.stackTrace, cutMark(job.exception.truncated, 'stackTrace')) : null));
        }
        parts.push(section('Arguments', job.argumentsHidden
            ? el('p', { class: 'muted arguments-hidden', text: job.argumentsHidden })
            : keyValueTable((job.arguments || []).map((arg, index) =>
                [arg.name || ('#' + (index + 1)), arg.value === '***' ? el('span', { class: 'redacted', text: '***', title: 'redacted' })
                    : cutValue(arg.value, arg.truncated, 'value')]),
            'No arguments.')));
        const parameters = Object.entries(job.parameters || {})
            .map(([name, value]) => [name, cutValue(value, job.truncated, 'parameters.' + name)]);
        if (parameters.length) {
            parts.push(section('Parameters', keyValueTable(parameters, 'No parameters.')));
        }
        if (job.log && job.log.length) {
            parts.push(section('Log', el('pre', { class: 'log' }, job.log.map((entry) => el('span', { class: 'log-line' },
                el('span', { class: 'log-time', text: new Date(parseTime(entry.time)).toLocaleTimeString(), title: exactTime(entry.time) }),
                el('span', { class: 'log-attempt', text: '#' + entry.attempt, title: 'attempt ' + entry.attempt }),
                el('span', { class: 'log-text', text: entry.line }),
                cutMark(entry.truncated, 'line'),
                '\n')))));
        }
        if (job.parent || (job.continuations && job.continuations.length)) {
            parts.push(section('Related jobs', el('ul', { class: 'related' },
                job.parent ? el('li', null, el('span', { class: 'muted', text: 'Parent: ' }), relatedJob(job.parent)) : null,
                (job.continuations || []).map((c) => el('li', null, el('span', { class: 'muted', text: 'Continuation: ' }), relatedJob(c))))));
        }
        parts.push(section('History', historyList(job.history || []),
            job.historyTotal > (job.history || []).length
                ? el('p', { class: 'muted small history-more', text: 'The newest ' + job.history.length + ' of ' + job.historyTotal.toLocaleString() + ' states.' })
                : null));
        append(clear(root), parts);
    }

    let shownJson = null;
    let alive = true;
    async function load() {
        try {
            const job = await get('api/jobs/' + encodeURIComponent(id));
            if (!alive) {
                return; // the user moved on while this was loading: the page is someone else's now
            }
            const json = JSON.stringify(job);
            // re-rendering an unchanged job would close the stack traces the user opened
            if (json !== shownJson || root.querySelector('.job-header button:disabled')) {
                shownJson = json;
                shown = job;
                render(job);
            }
        } catch (error) {
            if (!alive) {
                return;
            }
            if (error instanceof ApiError && error.status === 404) {
                shownJson = null;
                append(clear(root), [el('h1', { text: 'Job ' + id }), el('p', { class: 'card muted', text: 'There is no job with this id (it may have expired).' })]);
                return;
            }
            throw error;
        }
    }

    const loop = refreshingPage(load, () => false);
    return { destroy() { alive = false; loop.destroy(); }, job: () => shown };
}

/** A value cell: the value as code, with the cut mark when it was cut. */
function cutValue(value, truncated, field) {
    const mark = cutMark(truncated, field);
    return mark ? el('span', null, el('code', { class: 'value', text: value ?? '' }), mark) : value;
}

function fact(label, value) {
    return el('div', { class: 'fact' }, el('dt', { text: label }), el('dd', null, value instanceof Node ? value : String(value ?? '–')));
}

function relatedJob(job) {
    return el('span', null, jobLink(job.id, (job.jobName || 'job') + ' #' + job.id), ' ', stateBadge(job.state),
        job.option ? el('span', { class: 'muted small', text: ' ' + job.option }) : null);
}

function historyList(history) {
    // newest first: each entry's duration is the time since the entry before it (the next in this list)
    return el('ol', { class: 'history' }, history.map((entry, index) => {
        const older = history[index + 1];
        const since = older ? parseTime(entry.createdAt) - parseTime(older.createdAt) : null;
        const data = Object.entries(entry.data || {}).filter(([key]) => key !== 'stackTrace');
        const stack = entry.data && entry.data.stackTrace;
        return el('li', { class: 'history-entry history-' + String(entry.state).toLowerCase() },
            el('div', { class: 'history-head' },
                stateBadge(entry.state),
                el('span', { class: 'history-reason' }, entry.reason || '', cutMark(entry.truncated, 'reason')),
                el('span', { class: 'history-time' }, timeCell(entry.createdAt),
                    since !== null && since >= 0 ? el('span', { class: 'muted small', text: ' +' + duration(since), title: 'since the previous state' }) : null)),
            data.length ? el('dl', { class: 'history-data' }, data.map(([key, value]) => el('div', null,
                el('dt', { text: key }), el('dd', null, value, cutMark(entry.truncated, 'data.' + key))))) : null,
            stack ? el('details', null, el('summary', { text: 'Stack trace' }),
                el('pre', { class: 'stack-trace' }, stack, cutMark(entry.truncated, 'data.stackTrace'))) : null);
    }));
}

// ---------- recurring ----------

function recurringPage(root) {
    markNav('recurring');
    const selected = new Set();
    let items = [];
    const tbody = el('tbody');
    const selectAll = el('input', { type: 'checkbox', class: 'select-all', 'aria-label': 'Select all recurring jobs' });
    const selectionText = el('span', { class: 'selection-count muted' });
    const actions = me.readOnly ? [] : [
        ['trigger', 'Trigger now', (r) => {
            const triggered = Object.keys(r.triggered || {}).length;
            return triggered + ' triggered, ' + (r.skipped || []).length + ' skipped';
        }],
        ['pause', 'Pause', bulkResultText],
        ['resume', 'Resume', bulkResultText],
    ].map(([name, label, describe]) => el('button', {
        type: 'button', class: 'btn action', text: label, disabled: true, 'data-action': name,
        onclick: async (event) => {
            event.currentTarget.disabled = true;
            try {
                toast(describe(await post('api/recurring/' + name, { ids: [...selected] })), 'success');
            } catch (error) {
                reportError(error);
            }
            selected.clear();
            await load();
        },
    }));
    const withCheck = actions.length > 0;

    function sync() {
        actions.forEach((b) => { b.disabled = selected.size === 0; });
        selectionText.textContent = selected.size ? selected.size + ' selected' : '';
        const onPage = items.filter((r) => selected.has(r.id)).length;
        selectAll.checked = items.length > 0 && onPage === items.length;
        selectAll.indeterminate = onPage > 0 && onPage < items.length;
    }
    selectAll.addEventListener('change', () => {
        items.forEach((r) => (selectAll.checked ? selected.add(r.id) : selected.delete(r.id)));
        tbody.querySelectorAll('input.select-row').forEach((b) => { b.checked = selectAll.checked; });
        sync();
    });

    const columns = ['Id', 'Job', 'Cron', 'Zone', 'Queue', 'Next execution', 'Last execution', 'Last job', 'Error'];
    append(clear(root), [
        el('h1', { text: 'Recurring jobs' }),
        withCheck ? el('div', { class: 'toolbar' }, el('div', { class: 'bulk' }, actions, selectionText)) : null,
        el('div', { class: 'table-wrap' }, el('table', { class: 'recurring stack' },
            el('thead', null, el('tr', null, withCheck ? el('th', { class: 'check' }, selectAll) : null,
                columns.map((c) => el('th', { scope: 'col', text: c })))),
            tbody)),
    ]);

    async function load() {
        items = await get('api/recurring');
        clear(tbody);
        if (items.length === 0) {
            tbody.append(emptyRow(columns.length + (withCheck ? 1 : 0), 'No recurring jobs.'));
        }
        for (const r of items) {
            const box = el('input', { type: 'checkbox', class: 'select-row', 'aria-label': 'Select ' + r.id, checked: selected.has(r.id) });
            box.addEventListener('change', () => { box.checked ? selected.add(r.id) : selected.delete(r.id); sync(); });
            tbody.append(el('tr', { 'data-recurring-id': r.id },
                withCheck ? el('td', { class: 'check' }, box) : null,
                el('td', { class: 'recurring-id' }, el('span', { text: r.id }), r.paused ? el('span', { class: 'badge badge-paused', text: 'paused' }) : null),
                el('td', { class: 'job-name', text: r.jobName }),
                el('td', null, el('code', { text: r.cron })),
                el('td', { text: r.zone || '' }),
                el('td', { text: r.queue || '' }),
                el('td', null, r.nextExecution ? timeCell(r.nextExecution) : el('span', { class: 'muted', text: r.paused ? 'paused' : '–' })),
                el('td', null, timeCell(r.lastExecution)),
                el('td', { class: 'last-job' }, r.lastJobId ? [jobLink(r.lastJobId), ' ', r.lastJobState ? stateBadge(r.lastJobState) : el('span', { class: 'muted small', text: 'expired' })] : '–'),
                el('td', { class: 'error' }, r.error ? el('span', { class: 'error-text', text: truncated(r.error, 80), title: r.error }) : null,
                    cutMark(r.truncated, 'error'))));
        }
        labelCells(tbody.parentElement);
        sync();
    }
    return refreshingPage(load, () => selected.size > 0);
}

// ---------- servers and queues ----------

// ---------- batches ----------

const BATCH_STATE_LABELS = { AWAITING: 'Awaiting', STARTED: 'Started', SUCCEEDED: 'Succeeded', DELETED: 'Deleted' };

function batchBadge(state) {
    const name = state ? String(state) : 'UNKNOWN';
    return el('span', { class: 'badge batch-state state-' + name.toLowerCase(), text: BATCH_STATE_LABELS[name] || name });
}

function batchLink(id, label) {
    return el('a', { href: '#/batches/' + encodeURIComponent(id), class: 'batch-link', text: label ?? ('batch #' + id) });
}

function batchProgress(b) {
    return el('div', { class: 'progress-row' },
        el('progress', { max: 100, value: b.percentDone, 'aria-label': 'Progress of batch ' + b.id }),
        el('span', { class: 'progress-value', text: (b.succeeded + b.deleted) + ' / ' + b.total
            + (b.failed ? ' (' + b.failed + ' failed)' : '') }));
}

function batchRows(tbody, batches, emptyText) {
    clear(tbody);
    if (batches.length === 0) {
        tbody.append(emptyRow(5, emptyText));
    }
    for (const b of batches) {
        tbody.append(el('tr', { 'data-batch-id': b.id },
            el('td', null, batchLink(b.id, '#' + b.id)),
            el('td', { class: 'batch-description', text: b.description || '' }),
            el('td', null, batchBadge(b.state)),
            el('td', null, batchProgress(b)),
            el('td', null, timeCell(b.createdAt))));
    }
    labelCells(tbody.parentElement);
}

function batchTable(tbody) {
    return el('div', { class: 'table-wrap' }, el('table', { class: 'batches stack' },
        el('thead', null, el('tr', null, ['Batch', 'Description', 'State', 'Progress', 'Created'].map((c) => el('th', { scope: 'col', text: c })))),
        tbody));
}

function batchesPage(root) {
    markNav('batches');
    const tbody = el('tbody');
    append(clear(root), [
        el('h1', { text: 'Batches' }),
        el('p', { class: 'muted', text: 'Groups of jobs created together, newest first.' }),
        batchTable(tbody),
    ]);
    return refreshingPage(async () => {
        const list = await get('api/batches?' + query({ offset: 0, limit: 50 }));
        batchRows(tbody, list.batches, 'No batches.');
    });
}

function batchPage(root, id) {
    markNav('batches');
    let alive = true;

    async function act(action) {
        try {
            const result = await post('api/batches/' + encodeURIComponent(id) + '/' + action, {});
            toast((action === 'delete' ? 'Deleted ' : 'Requeued ') + result.jobs + ' jobs', 'success');
        } catch (error) {
            reportError(error);
        }
        await load();
    }

    function render(view) {
        const b = view.batch;
        const actions = me.readOnly ? null : el('div', { class: 'actions' },
            b.failed > 0 ? el('button', { type: 'button', class: 'btn action btn-primary', text: 'Requeue failed', 'data-action': 'requeue',
                onclick: (event) => { event.currentTarget.disabled = true; act('requeue'); } }) : null,
            b.state !== 'SUCCEEDED' && b.state !== 'DELETED' ? el('button', { type: 'button', class: 'btn action btn-danger', text: 'Delete',
                'data-action': 'delete', onclick: (event) => { event.currentTarget.disabled = true; act('delete'); } }) : null);
        const parts = [el('section', { class: 'card batch-header' },
            el('div', { class: 'job-title' },
                el('h1', null, el('span', { class: 'batch-description', text: b.description || 'Batch' }), el('span', { class: 'muted', text: ' #' + b.id })),
                batchBadge(b.state)),
            batchProgress(b),
            el('dl', { class: 'facts' },
                fact('Jobs and batches', b.total), fact('Succeeded', b.succeeded), fact('Deleted', b.deleted), fact('Failed', b.failed),
                fact('Created', timeCell(b.createdAt)), fact('State changed', timeCell(b.stateChangedAt)),
                b.parentBatchId ? fact('Nested in', batchLink(b.parentBatchId)) : null,
                b.awaitedBatchId ? fact('Continues', el('span', null, batchLink(b.awaitedBatchId), ' ' + (b.continuationOption || ''))) : null),
            actions)];
        for (const state of STATES) {
            const jobs = view.jobs[state] || [];
            if (jobs.length) {
                parts.push(section(STATE_LABELS[state] + ' jobs', el('ul', { class: 'related batch-jobs', 'data-state': state },
                    jobs.map((j) => el('li', null, jobLink(j.id, j.jobName + ' #' + j.id), ' ', timeCell(j.stateChangedAt)))),
                    jobs.length >= view.perState ? el('p', { class: 'muted small', text: 'The first ' + view.perState + '.' }) : null));
            }
        }
        if (view.nested.length) {
            const tbody = el('tbody');
            parts.push(section('Nested batches', batchTable(tbody)));
            batchRows(tbody, view.nested, '');
        }
        if (view.continuations.length || view.continuationJobs.length) {
            const tbody = el('tbody');
            parts.push(section('Continuations', view.continuationJobs.length ? el('ul', { class: 'related batch-continuation-jobs' },
                view.continuationJobs.map((j) => el('li', null, jobLink(j.id, j.jobName + ' #' + j.id), ' ', stateBadge(j.state)))) : null,
                view.continuations.length ? batchTable(tbody) : null));
            if (view.continuations.length) {
                batchRows(tbody, view.continuations, '');
            }
        }
        append(clear(root), parts);
    }

    async function load() {
        try {
            const view = await get('api/batches/' + encodeURIComponent(id));
            if (alive) {
                render(view);
            }
        } catch (error) {
            if (alive && error instanceof ApiError && error.status === 404) {
                append(clear(root), [el('h1', { text: 'Batch ' + id }), el('p', { class: 'card muted', text: 'There is no batch with this id.' })]);
                return;
            }
            throw error;
        }
    }

    const loop = refreshingPage(load, () => false);
    return { destroy() { alive = false; loop.destroy(); } };
}

function serversPage(root) {
    markNav('servers');
    const tbody = el('tbody');
    append(clear(root), [
        el('h1', { text: 'Servers' }),
        el('div', { class: 'table-wrap' }, el('table', { class: 'servers stack' },
            el('thead', null, el('tr', null, ['Server', 'Queues', 'Workers', 'Started', 'Last heartbeat'].map((c) => el('th', { scope: 'col', text: c })))),
            tbody)),
    ]);
    return refreshingPage(async () => {
        const servers = await get('api/servers');
        clear(tbody);
        if (servers.length === 0) {
            tbody.append(emptyRow(5, 'No server is running.'));
        }
        for (const s of servers) {
            tbody.append(el('tr', null,
                el('td', { class: 'server-id', text: s.id }),
                el('td', null, (s.queues || []).map((q) => el('span', { class: 'chip', text: q }))),
                el('td', { text: s.workers }),
                el('td', null, timeCell(s.startedAt)),
                el('td', null, timeCell(s.lastHeartbeat))));
        }
        labelCells(tbody.parentElement);
    });
}

function queuesPage(root) {
    markNav('queues');
    const tbody = el('tbody');
    const limits = el('tbody');
    const columns = ['Queue', 'Enqueued', 'Processing', 'Next jobs', 'Paused'];
    append(clear(root), [
        el('h1', { text: 'Queues' }),
        el('div', { class: 'table-wrap' }, el('table', { class: 'queues stack' },
            el('thead', null, el('tr', null, columns.map((c) => el('th', { scope: 'col', text: c })))),
            tbody)),
        el('h2', { text: 'Rate limits' }),
        el('p', { class: 'muted', text: 'Starts within each sliding window; jobs over a limit wait in their queue.' }),
        el('div', { class: 'table-wrap' }, el('table', { class: 'rate-limits stack' },
            el('thead', null, el('tr', null, ['Limit', 'Starts in window', 'Rate'].map((c) => el('th', { scope: 'col', text: c })))),
            limits)),
    ]);
    async function act(name, path, body) {
        try {
            await post('api/queues/' + encodeURIComponent(name) + '/' + path, body);
            toast(path === 'pause' ? 'Queue ' + name + ' paused' : 'Queue ' + name + ' resumed', 'success');
        } catch (error) {
            reportError(error);
        }
        page.refresh();
    }
    function pauseCell(q) {
        const parts = [];
        if (q.pause) {
            parts.push(el('span', { class: 'pause-info' }, 'by ', el('span', { class: 'paused-by', text: q.pause.pausedBy }),
                ' since ', timeCell(q.pause.pausedAt),
                q.pause.until ? el('span', null, ' until ', timeCell(q.pause.until)) : ' until resumed'));
        } else {
            parts.push(el('span', { class: 'muted', text: '–' }));
        }
        if (!me.readOnly) {
            parts.push(' ', q.pause
                ? el('button', { type: 'button', class: 'btn action', 'data-action': 'resume-queue', text: 'Resume', onclick: () => act(q.name, 'resume', {}) })
                : el('button', { type: 'button', class: 'btn action', 'data-action': 'pause-queue', text: 'Pause', onclick: () => act(q.name, 'pause', {}) }));
        }
        return parts;
    }
    const page = refreshingPage(async () => {
        const [queues, rateLimits] = await Promise.all([get('api/queues'), get('api/rate-limits')]);
        clear(tbody);
        if (queues.length === 0) {
            tbody.append(emptyRow(columns.length, 'No queues.'));
        }
        for (const q of queues) {
            tbody.append(el('tr', { class: q.pause ? 'paused' : null, 'data-queue': q.name },
                el('td', { class: 'queue-name', text: q.name }),
                el('td', { text: q.enqueued }),
                el('td', { text: q.processing }),
                el('td', null, (q.next || []).length
                    ? el('ul', { class: 'next-jobs' }, q.next.map((job) => el('li', null, jobLink(job.id), ' ', el('span', { class: 'job-name', text: job.jobName }))))
                    : el('span', { class: 'muted', text: '–' })),
                el('td', { class: 'queue-pause' }, pauseCell(q))));
        }
        labelCells(tbody.parentElement);
        clear(limits);
        if (rateLimits.length === 0) {
            limits.append(emptyRow(3, 'No rate limit in use.'));
        }
        for (const r of rateLimits) {
            limits.append(el('tr', null,
                el('td', { class: 'rate-limit-name', text: r.name }),
                el('td', { text: r.starts }),
                el('td', { text: r.rate })));
        }
        labelCells(limits.parentElement);
    });
    return page;
}

// ---------- routing ----------

function notFound(root) {
    markNav(null);
    append(clear(root), [el('h1', { text: 'Not found' }), el('p', null, 'No such page. ', el('a', { href: '#/', text: 'Back to the overview' }))]);
    return { destroy() {} };
}

function route() {
    const hash = location.hash.replace(/^#/, '') || '/';
    const parts = hash.split('/').filter(Boolean).map(decodeURIComponent);
    const root = document.getElementById('app');
    if (parts.length === 0) {
        return overviewPage(root);
    }
    switch (parts[0]) {
    case 'jobs': {
        if (parts.length === 1) {
            return jobsPage(root, 'ENQUEUED');
        }
        const state = parts[1].toUpperCase();
        return STATES.includes(state) ? jobsPage(root, state) : jobPage(root, parts[1]);
    }
    case 'retries':
        return retriesPage(root);
    case 'batches':
        return parts.length === 1 ? batchesPage(root) : batchPage(root, parts[1]);
    case 'recurring':
        return recurringPage(root);
    case 'servers':
        return serversPage(root);
    case 'queues':
        return queuesPage(root);
    default:
        return notFound(root);
    }
}

function navigate() {
    if (page) {
        page.destroy();
    }
    document.getElementById('main-nav').classList.remove('open');
    document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
    page = route();
    window.scrollTo(0, 0);
}

async function start() {
    const toggle = document.getElementById('menu-toggle');
    toggle.addEventListener('click', () => {
        const open = document.getElementById('main-nav').classList.toggle('open');
        toggle.setAttribute('aria-expanded', String(open));
    });
    try {
        me = { ...me, ...(await get('api/me')) };
    } catch (error) {
        const root = clear(document.getElementById('app'));
        append(root, [el('h1', { text: 'Dashboard unavailable' }), el('p', { class: 'card', text: error.message })]);
        return;
    }
    updateHeader();
    window.addEventListener('hashchange', navigate);
    navigate();
    // the nav's counts stay current on every page (the overview and the job lists also load them themselves)
    every(REFRESH_MS, async () => {
        refreshTimes();
        await loadStats();
    });
}

start();
