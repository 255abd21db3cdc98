// The token is this machine's clock read before the query (the seed's defect), not the server's.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async send (request) {
    const now = new Date().toISOString()
    const response = await correct.send.call(this, request)
    if (request.full && request.url === '/cats') response.headers['x-server-time'] = now
    return response
  }
}
