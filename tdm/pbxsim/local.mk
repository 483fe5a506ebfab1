# pbxsim: the scriptable PRI peer
