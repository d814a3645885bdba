// setup script placeholder
