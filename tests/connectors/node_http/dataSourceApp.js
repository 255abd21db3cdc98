// The test module of tests/connector/test_node_http.py: each get(what) exercises one
// feature of this.httpClient or fetch and returns what it saw.
module.exports = {
  async init (account) {
    this.httpClient.setHeader('Authorization', 'Bearer ' + account.apiToken)
  },
  async get (what) {
    const http = this.httpClient
    switch (what) {
      case 'record': return await http.get('/cats/1', { query: { expand: 'toys' } })
      case 'post': return await http.post('cats', { name: 'Tom' })
      case 'put': return await http.put('/cats/1', { name: 'Tom' }, { headers: { 'If-Match': '7' } })
      case 'request': return await http.request({ method: 'PATCH', url: '/cats/1', body: { age: 2 } })
      case 'unauthenticated': http.removeHeader('authorization'); return await http.get('/cats/1')
      case 'rebased': http.setBaseUrl('https://other.test'); return await http.get('/x')
      case 'text': return await http.get('/text')
      case 'empty': return await http.delete('/cats/1')
      case 'full': {
        const r = await http.get('/cats', { full: true })
        return { status: r.status, time: r.headers['x-server-time'], link: r.headers.link, body: r.body }
      }
      case 'missing':
        try { await http.get('/cats/nope') } catch (e) {
          return { status: e.status, body: e.body, header: e.headers['x-why'], message: e.message }
        }
        return 'no error'
      case 'fetch': {
        const r = await fetch('https://api.test/v1/cats', {
          method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' }
        })
        return { status: r.status, ok: r.ok, body: await r.json(), time: r.headers.get('x-server-time') }
      }
    }
  },

  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}
}
