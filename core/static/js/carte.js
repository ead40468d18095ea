/* Draws the GeoJSON of every element with a data-geojson attribute on a Leaflet map.
   No tile server: the commune polygons are the map. Each feature carries its fill
   colour (properties.couleur) and its tooltip text (properties.etiquette). The same
   information is always given in a table next to the map. */
(function () {
  "use strict";
  function draw(element) {
    var map = L.map(element, { attributionControl: true, zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contours : IGN Admin Express, INSEE COG");
    fetch(element.dataset.geojson, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            var p = feature.properties;
            return {
              color: p.contour || "#666666",
              weight: p.epaisseur || 0.6,
              fillColor: p.couleur || "#f6f6f6",
              fillOpacity: p.couleur ? 0.75 : 0.35
            };
          },
          onEachFeature: function (feature, featureLayer) {
            featureLayer.bindTooltip(feature.properties.etiquette, { sticky: true });
          }
        }).addTo(map);
        if (layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        element.dataset.loaded = "true";
      });
  }
  document.querySelectorAll("[data-geojson]").forEach(draw);
})();
