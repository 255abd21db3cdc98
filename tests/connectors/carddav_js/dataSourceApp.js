// A small CardDAV connector in NodeJS that names each vCard itself with crypto.randomUUID(),
// the JS twin of examples/carddav (name, email and notes only). Its cassettes replay only
// because the harness records and hands back what randomUUID returned.

const { randomUUID } = require('node:crypto')

const FIELDS = { name: 'FN', email: 'EMAIL', notes: 'NOTE' }
const VCARD = { 'Content-Type': 'text/vcard; charset=utf-8' }
const SYNC = (token) => '<?xml version="1.0" encoding="utf-8"?>' +
  '<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">' +
  `<D:sync-token>${xmlText(token)}</D:sync-token><D:sync-level>1</D:sync-level>` +
  '<D:prop><D:getetag/><C:address-data/></D:prop></D:sync-collection>'

module.exports = {
  async init (account) {
    for (const key of ['addressBookUrl', 'username', 'password']) {
      if (!account[key]) throw new Error(`account.json needs ${key}`)
    }
    this.httpClient.setBaseUrl(account.addressBookUrl)
    const basic = Buffer.from(`${account.username}:${account.password}`).toString('base64')
    this.httpClient.setHeader('Authorization', `Basic ${basic}`)
  },

  async get (id) {
    const found = await this.read(id)
    return found && found.record
  },

  async insert (value) {
    const id = randomUUID() // the client names the resource
    await this.httpClient.put(`${id}.vcf`, toVcard(id, value), { headers: { ...VCARD, 'If-None-Match': '*' } })
    return { id }
  },

  async patch (id, value) {
    const found = await this.read(id)
    if (!found) throw new Error(`no contact ${id} to patch`)
    const merged = { ...found.record, ...value }
    await this.httpClient.put(`${id}.vcf`, toVcard(id, merged), { headers: { ...VCARD, 'If-Match': found.etag } })
  },

  async delete (id) {
    const found = await this.read(id)
    if (!found) return // already gone
    await this.httpClient.delete(`${id}.vcf`, { headers: { 'If-Match': found.etag } })
  },

  async getUpdates (lastSync) {
    const token = (lastSync && lastSync.syncToken) || ''
    const answer = await this.httpClient.request({
      method: 'REPORT', url: '', body: SYNC(token), headers: { Depth: '1', 'Content-Type': 'application/xml' }
    })
    const entries = []
    for (const [, member] of String(answer).matchAll(/<response>([\s\S]*?)<\/response>/g)) {
      const href = /<href>([^<]*)<\/href>/.exec(member)[1]
      const id = href.replace(/\/$/, '').split('/').pop().replace(/\.vcf$/, '')
      if (/<status>[^<]*404/.test(member)) {
        entries.push({ id, type: 'delete' })
        continue
      }
      const card = /<(?:\w+:)?address-data[^>]*>([\s\S]*?)<\/(?:\w+:)?address-data>/.exec(member)
      entries.push({ id, type: 'upsert', value: fromVcard(id, xmlUnescape(card ? card[1] : '')) })
    }
    const next = /<sync-token>([^<]*)<\/sync-token>/.exec(String(answer))
    return { nextSync: { syncToken: next ? xmlUnescape(next[1]) : token }, entries }
  },

  async read (id) {
    try {
      const answer = await this.httpClient.get(`${id}.vcf`, { full: true })
      return { record: fromVcard(id, String(answer.body)), etag: answer.headers.etag }
    } catch (e) {
      if (e.status === 404) return null
      throw e
    }
  }
}

function toVcard (id, record) {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `UID:${id}`]
  for (const [field, prop] of Object.entries(FIELDS)) {
    if (record[field] !== undefined && record[field] !== null) lines.push(`${prop}:${escape(record[field])}`)
  }
  lines.push(`N:${escape(record.name || '')};;;;`, 'END:VCARD')
  return lines.join('\r\n') + '\r\n'
}

function fromVcard (id, text) {
  const record = { id }
  const byProp = Object.fromEntries(Object.entries(FIELDS).map(([f, p]) => [p, f]))
  for (const line of text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    const field = colon > 0 && byProp[line.slice(0, colon).split(';')[0].toUpperCase()]
    if (field) record[field] = unescape(line.slice(colon + 1))
  }
  return record
}

function escape (text) {
  return String(text).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n')
}

function unescape (text) {
  return text.replace(/\\(.)/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c))
}

function xmlText (text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function xmlUnescape (text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&')
}
