// Starts Swagger UI on the service's own document. With auth on, "Authorize" takes the
// bearer token (the document declares the bearerAuth scheme); it is kept for this page only.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
    validatorUrl: null,
  });
});
