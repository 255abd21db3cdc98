// Broken twin: node-fetch resolves on any HTTP status, and insert never looks at it: an insert
// the API refused returns {id: undefined} instead of an error.
const fetch = require('node-fetch')
const correct = require('./dataSourceApp.js')

module.exports = {
  ...correct,
  async insert (value) {
    const response = await fetch(this.baseUrl + '/cats', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + this.token, 'Content-Type': 'application/json' },
      body: JSON.stringify(value)
    })
    const cat = await response.json()
    return { id: cat.id }
  }
}
