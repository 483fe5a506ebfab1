/*
 * G.711 through spandsp's inline coders.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VD_G711_H
#define VD_G711_H
#include <stdint.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#endif
