// Ajustes del gestor de widgets en la web del libro. Se carga entre require.js y embed-amd.js.
(function () {
  // 1) El gestor pide sus fuentes de iconos junto a su módulo AMD, cuya dirección requirejs deduce de la
  //    página (y daría 404 en cada carpeta). Le decimos dónde está: en vendor/widgets, donde `make libro`
  //    copia esas fuentes.
  var estatico = document.currentScript.src.replace(/[^\/]*$/, "");
  if (window.require && window.require.config) {
    window.require.config({ paths: { "@jupyter-widgets/html-manager/dist": estatico + "vendor/widgets" } });
  }

  // 2) El gestor compone las fórmulas de los widgets con la API de MathJax 2 (MathJax.Hub.Queue); la web
  //    usa MathJax 3. Traducimos esa llamada, en lugar de dejar que falle.
  document.addEventListener("DOMContentLoaded", function () {
    var mj = window.MathJax;
    if (!mj || mj.Hub || !mj.startup) return;
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (orden) {
          if (Array.isArray(orden) && orden[0] === "Typeset" && orden[2]) {
            mj.startup.promise.then(function () { return mj.typesetPromise([orden[2]]); });
          }
        });
      },
    };
  });

  // 3) Las figuras de los exploradores llevan su texto alternativo. Los cuadernos ejecutados con una versión
  //    anterior usan widgets Image, que no lo admiten: les damos uno genérico.
  function ponerTextoAlternativo() {
    document.querySelectorAll("img.widget-image:not([alt])").forEach(function (img) {
      img.alt = "Figura de un explorador interactivo; cambia con los controles de encima.";
    });
  }
  new MutationObserver(ponerTextoAlternativo).observe(document.documentElement, { childList: true, subtree: true });
})();
