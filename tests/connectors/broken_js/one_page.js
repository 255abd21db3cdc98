// getUpdates reads the first page of the listing and ignores the Link to the next one.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async send (request) {
    const response = await correct.send.call(this, request)
    if (request.full && response.headers) delete response.headers.link
    return response
  }
}
