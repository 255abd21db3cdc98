// The seed sample with its first sync fixed too (no lastSync lists everything), so the harness
// gets to see what it returns: the misspelt key `entires`.
const seed = require('../dataSourceApp.js')

module.exports = {
  ...seed,
  async getUpdates(lastSync) {
    var nextSync = new Date().toISOString();
    var query = lastSync ? `?q=lastModified ge ${lastSync}` : '';
    var response = await this.httpClient.get(`/cats${query}`);
    return {
      nextSync: nextSync,
      entires: response.map(v => ({ id: v.id, type: 'upsert', value: v }))
    }
  }
}
