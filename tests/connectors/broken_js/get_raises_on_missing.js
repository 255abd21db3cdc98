// get lets the 404 of a missing record reject, as the seed's sample does.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async get (id) { return await this.httpClient.get(`/cats/${id}`) }
}
