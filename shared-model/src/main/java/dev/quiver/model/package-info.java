/**
 * What a model version is, apart from where it is stored and how it runs: its key, its descriptor (inputs,
 * outputs, schema) and the named input fields a row of features maps to.
 */
package dev.quiver.model;
