/** Serving custom resources from CustomResourceDefinitions: the establishing and cleanup loop. */
package io.flotilla.apiserver.crd;
