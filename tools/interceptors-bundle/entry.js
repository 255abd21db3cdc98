// What the NodeJS bridge takes from @mswjs/interceptors: the three request-level interceptors.
exports.ClientRequestInterceptor = require('@mswjs/interceptors/ClientRequest').ClientRequestInterceptor
exports.FetchInterceptor = require('@mswjs/interceptors/fetch').FetchInterceptor
exports.XMLHttpRequestInterceptor = require('@mswjs/interceptors/XMLHttpRequest').XMLHttpRequestInterceptor
