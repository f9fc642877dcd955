import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { pages } from 'build-time-data';
import 'qwc/qwc-extension-link.js';

// how often the counts are read again while the card is on screen
const REFRESH_MILLIS = 3000;

// the order the dashboard uses: work still to do first, outcomes after
const STATES = [
    ['ENQUEUED', 'Enqueued'],
    ['SCHEDULED', 'Scheduled'],
    ['AWAITING', 'Awaiting'],
    ['PROCESSING', 'Processing'],
    ['SUCCEEDED', 'Succeeded'],
    ['FAILED', 'Failed'],
    ['DELETED', 'Deleted'],
];

/**
 * The Hangfire card on the extensions page: live job counts and the links to the card's pages
 * (the dashboard and the table of job methods).
 */
export class QwcHangfireCard extends LitElement {

    // false: the polling would otherwise fill the Dev UI's JSON-RPC log
    jsonRpc = new JsonRpc(this, false);

    static styles = css`
        .card-content {
            display: flex;
            flex-direction: column;
            gap: 6px;
            padding: 2px 2px;
            height: 100%;
            color: var(--lumo-contrast-90pct);
        }
        .description {
            color: var(--lumo-contrast-70pct);
        }
        .counts {
            display: grid;
            grid-template-columns: repeat(4, 1fr);
            gap: 4px;
        }
        .count {
            display: flex;
            flex-direction: column;
            align-items: center;
            font-size: var(--lumo-font-size-xs);
            color: var(--lumo-contrast-60pct);
        }
        .count .value {
            font-size: var(--lumo-font-size-l);
            color: var(--lumo-contrast-90pct);
        }
        .count.alert .value {
            color: var(--lumo-error-text-color);
        }
        .line {
            font-size: var(--lumo-font-size-s);
            color: var(--lumo-contrast-70pct);
        }
        .error {
            font-size: var(--lumo-font-size-s);
            color: var(--lumo-error-text-color);
        }
    `;

    static properties = {
        extensionName: { type: String },
        description: { type: String },
        guide: { type: String },
        namespace: { type: String },
        _counts: { state: true },
        _error: { state: true },
    };

    connectedCallback() {
        super.connectedCallback();
        this._refresh();
        this._timer = setInterval(() => this._refresh(), REFRESH_MILLIS);
    }

    disconnectedCallback() {
        clearInterval(this._timer);
        super.disconnectedCallback();
    }

    _refresh() {
        this.jsonRpc.getCounts()
            .then(response => {
                this._counts = response.result;
                this._error = null;
            })
            .catch(response => {
                this._error = response?.error?.message ?? 'The counts could not be read';
            });
    }

    render() {
        return html`
            <div class="card-content" slot="content">
                <span class="description">${this.description}</span>
                ${this._renderCounts()}
                ${pages.map(page => this._renderLink(page))}
            </div>`;
    }

    _renderCounts() {
        if (this._error) {
            return html`<span class="error">${this._error}</span>`;
        }
        if (!this._counts) {
            return html`<span class="line">Reading the job counts...</span>`;
        }
        const counts = this._counts;
        const queues = Object.entries(counts.enqueuedByQueue)
            .map(([queue, count]) => `${queue} ${count}`).join(', ');
        return html`
            <div class="counts">
                ${STATES.map(([state, label]) => html`
                    <div class="count ${state === 'FAILED' && counts.states[state] > 0 ? 'alert' : ''}" title="${label} jobs">
                        <span class="value">${counts.states[state] ?? 0}</span>
                        <span>${label}</span>
                    </div>`)}
            </div>
            <span class="line">Enqueued by queue: ${queues || 'none'}</span>
            <span class="line">Servers: ${counts.servers} · Recurring jobs: ${counts.recurring}</span>`;
    }

    _renderLink(page) {
        return html`
            <qwc-extension-link slot="link"
                namespace="${this.namespace}"
                extensionName="${this.extensionName}"
                iconName="${page.icon}"
                displayName="${page.title}"
                staticLabel="${page.staticLabel}"
                dynamicLabel="${page.dynamicLabel}"
                streamingLabel="${page.streamingLabel}"
                path="${page.id}"
                ?embed=${page.embed}
                externalUrl="${page.metadata.externalUrl}"
                webcomponent="${page.componentLink}">
            </qwc-extension-link>`;
    }
}
customElements.define('qwc-hangfire-card', QwcHangfireCard);
