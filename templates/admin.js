// Loaded before the CMS on the admin page (templates/admin.html). Sveltia CMS asks unpkg.com
// for its newest version when it starts, and every hour, and asks www.githubstatus.com whether
// GitHub has an incident. This site pins the version it ships and keeps the page to GitHub's API
// (factdesk/cms.py, ADMIN_POLICY), so both questions are answered here, as "not found".
(function () {
  var answeredHere = ["https://unpkg.com/", "https://www.githubstatus.com/"];
  var fetchFromNetwork = window.fetch.bind(window);
  window.fetch = function (resource, options) {
    var address = typeof resource === "string" ? resource : resource instanceof URL ? resource.href : resource.url;
    for (var i = 0; i < answeredHere.length; i++) {
      if (address.indexOf(answeredHere[i]) === 0) {
        return Promise.resolve(new Response(null, { status: 404, statusText: "Not asked: see admin.js" }));
      }
    }
    return fetchFromNetwork(resource, options);
  };
})();
