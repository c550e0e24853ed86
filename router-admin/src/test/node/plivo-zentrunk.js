// Drives sipvane's Plivo flavour through the official Plivo Node SDK's own request layer:
// plivo/dist/rest/axios.js (Axios: Basic auth, JSON bodies, query strings for GET) wrapped in
// plivo/dist/rest/utils.js camelCaseRequestWrapper, composed exactly as plivo/dist/rest/client.js
// composes them for every resource; only the base URL (the client's `url` option) points at the
// router. The SDK has no Zentrunk resource class, so the Zentrunk paths are named here, as in the
// Plivo documentation. Prints one JSON line per operation ({op, status, body} or {op, error, status}) and
// one per HTTP exchange ({wire: {method, url, status, contentType, data}}) for the contract check.
'use strict';
const [base, authId, authToken] = process.argv.slice(2);
const { Axios } = require('plivo/dist/rest/axios');
const { camelCaseRequestWrapper } = require('plivo/dist/rest/utils');
const axios = require('axios');

const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');
let lastStatus = null;
const wire = (r) => r && (lastStatus = r.status) && out({ wire: { method: r.config.method.toUpperCase(), url: r.config.url, status: r.status,
  contentType: String(r.headers['content-type'] || ''), data: typeof r.data === 'string' ? r.data : JSON.stringify(r.data) } });
axios.interceptors.response.use((r) => { wire(r); return r; }, (e) => { wire(e.response); throw e; });

const request = camelCaseRequestWrapper(Axios({
  authId, authToken, version: 'v1', url: base + '/v1/Account/' + authId, userAgent: 'plivo-node (sipvane test)',
}));

async function op(name, method, action, params) {
  lastStatus = null;
  try {
    const res = await request(method, action, params);
    out({ op: name, status: res.response.status, body: res.response.data });
    return res.response.data;
  } catch (e) {
    // the SDK rejects with a plain Error whatever its exception class: keep the HTTP status beside it
    out({ op: name, error: String(e && e.message ? e.message : e), status: lastStatus });
    return null;
  }
}

(async () => {
  const a = await op('createUri', 'POST', 'Zentrunk/URI/', { name: 'primary-pbx', uri: 'sip.example.com:5060' });
  const b = await op('createUriWithAuth', 'POST', 'Zentrunk/URI/', { name: 'secure-pbx', uri: 'sip.example.com:5061',
    authenticationNeeded: true, username: 'plivo_inbound', password: 'securepassword123!' });
  await op('listUris', 'GET', 'Zentrunk/URI/', { limit: 10, offset: 0 });
  await op('getUri', 'GET', 'Zentrunk/URI/' + a.uri_uuid + '/');
  await op('updateUri', 'POST', 'Zentrunk/URI/' + a.uri_uuid + '/', { uri: 'new-sip.example.com:5060' });
  const t = await op('createTrunk', 'POST', 'Zentrunk/Trunk/', { name: 'inbound-trunk', trunkDirection: 'inbound',
    primaryUriUuid: a.uri_uuid, fallbackUriUuid: b.uri_uuid });
  await op('getTrunk', 'GET', 'Zentrunk/Trunk/' + t.trunk_id + '/');
  await op('listTrunks', 'GET', 'Zentrunk/Trunk/', { trunkDirection: 'inbound' });
  await op('disableTrunk', 'POST', 'Zentrunk/Trunk/' + t.trunk_id + '/', { trunkStatus: 'disabled' });
  await op('renameTrunk', 'POST', 'Zentrunk/Trunk/' + t.trunk_id + '/', { name: 'renamed' });
  await op('deleteUsedUri', 'DELETE', 'Zentrunk/URI/' + a.uri_uuid + '/');
  await op('deleteTrunk', 'DELETE', 'Zentrunk/Trunk/' + t.trunk_id + '/');
  await op('deleteUri', 'DELETE', 'Zentrunk/URI/' + a.uri_uuid + '/');
  await op('getDeletedUri', 'GET', 'Zentrunk/URI/' + a.uri_uuid + '/');
})().catch((e) => { out({ fatal: String(e && e.stack ? e.stack : e) }); process.exitCode = 1; });
